package dev.mqttsidecar.state.grpc;

import dapr.proto.components.v1.State;
import dapr.proto.components.v1.TransactionalStoreMultiMaxSizeGrpc;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.state.RetainedStateStore;
import io.grpc.stub.StreamObserver;

/** Dapr's {@code TransactionalStoreMultiMaxSize}: the most operations one transaction may hold. */
final class MultiMaxSizeService
    extends TransactionalStoreMultiMaxSizeGrpc.TransactionalStoreMultiMaxSizeImplBase {
  private final InstanceRegistry<RetainedStateStore> instances;

  MultiMaxSizeService(InstanceRegistry<RetainedStateStore> instances) {
    this.instances = instances;
  }

  @Override
  public void multiMaxSize(
      State.MultiMaxSizeRequest request, StreamObserver<State.MultiMaxSizeResponse> observer) {
    Calls.reply(
        observer,
        () ->
            State.MultiMaxSizeResponse.newBuilder()
                .setMaxSize(instances.current().config().maxTransactionOperations())
                .build());
  }
}
