package dev.mqttsidecar.component.remote;

import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.statesvc.StateServiceClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Every call sent to the broker tier's state service, which does ETags and transactions. */
record StateServiceBackend(StateServiceClient client, List<String> features)
    implements RemoteStateBackend {

  @Override
  public CompletableFuture<State.GetResponse> get(State.GetRequest request) {
    return client.get(request);
  }

  @Override
  public CompletableFuture<State.BulkGetResponse> bulkGet(State.BulkGetRequest request) {
    return client.bulkGet(request);
  }

  @Override
  public CompletableFuture<State.SetResponse> set(State.SetRequest request) {
    return client.set(request);
  }

  @Override
  public CompletableFuture<State.BulkSetResponse> bulkSet(State.BulkSetRequest request) {
    return client.bulkSet(request);
  }

  @Override
  public CompletableFuture<State.DeleteResponse> delete(State.DeleteRequest request) {
    return client.delete(request);
  }

  @Override
  public CompletableFuture<State.BulkDeleteResponse> bulkDelete(State.BulkDeleteRequest request) {
    return client.bulkDelete(request);
  }

  @Override
  public CompletableFuture<State.TransactionalStateResponse> transact(
      State.TransactionalStateRequest request) {
    return client.transact(request);
  }

  @Override
  public CompletableFuture<State.QueryResponse> query(State.QueryRequest request) {
    return client.query(request);
  }

  @Override
  public void close() {
    client.close();
  }
}
