package dev.mqttsidecar.state.grpc;

import dapr.proto.components.v1.State;
import dapr.proto.components.v1.TransactionalStateStoreGrpc;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.state.RetainedStateStore;
import io.grpc.stub.StreamObserver;

/**
 * Dapr's {@code TransactionalStateStore}: all operations in order, atomically and durably, as one
 * conditional multi-write of the broker's retained store.
 */
final class TransactionalService
    extends TransactionalStateStoreGrpc.TransactionalStateStoreImplBase {
  private final InstanceRegistry<RetainedStateStore> instances;

  TransactionalService(InstanceRegistry<RetainedStateStore> instances) {
    this.instances = instances;
  }

  @Override
  public void transact(
      State.TransactionalStateRequest request,
      StreamObserver<State.TransactionalStateResponse> observer) {
    Calls.replyLater(observer, () -> StateCalls.transact(instances.current(), request));
  }
}
