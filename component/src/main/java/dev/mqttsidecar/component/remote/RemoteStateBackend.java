package dev.mqttsidecar.component.remote;

import dapr.proto.components.v1.State;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What serves the calls of one remote state store instance. */
interface RemoteStateBackend {
  /** The Dapr features this backend offers (ETAG, TRANSACTIONAL, QUERY_API, ...). */
  List<String> features();

  CompletableFuture<State.GetResponse> get(State.GetRequest request);

  CompletableFuture<State.BulkGetResponse> bulkGet(State.BulkGetRequest request);

  CompletableFuture<State.SetResponse> set(State.SetRequest request);

  CompletableFuture<State.BulkSetResponse> bulkSet(State.BulkSetRequest request);

  CompletableFuture<State.DeleteResponse> delete(State.DeleteRequest request);

  CompletableFuture<State.BulkDeleteResponse> bulkDelete(State.BulkDeleteRequest request);

  CompletableFuture<State.TransactionalStateResponse> transact(
      State.TransactionalStateRequest request);

  CompletableFuture<State.QueryResponse> query(State.QueryRequest request);

  void close();
}
