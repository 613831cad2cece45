package dev.mqttsidecar.state.grpc;

import dapr.proto.components.v1.QueriableStateStoreGrpc;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.state.RetainedStateStore;
import io.grpc.stub.StreamObserver;

/**
 * Dapr's {@code QueriableStateStore}: the state query language over the instance's keys. Request
 * metadata (contentType, queryIndexName, partitionKey) does not change the result.
 */
final class QueryService extends QueriableStateStoreGrpc.QueriableStateStoreImplBase {
  private final InstanceRegistry<RetainedStateStore> instances;

  QueryService(InstanceRegistry<RetainedStateStore> instances) {
    this.instances = instances;
  }

  @Override
  public void query(State.QueryRequest request, StreamObserver<State.QueryResponse> observer) {
    Calls.reply(observer, () -> StateCalls.query(instances.current(), request));
  }
}
