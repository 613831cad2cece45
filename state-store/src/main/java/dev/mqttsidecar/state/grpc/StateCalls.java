package dev.mqttsidecar.state.grpc;

import dapr.proto.components.v1.State;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateError;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StateOp;
import dev.mqttsidecar.state.WriteOutcome;
import dev.mqttsidecar.state.query.QueryPage;
import dev.mqttsidecar.state.query.StateQuery;
import io.dapr.v1.ComponentProtos;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The Dapr state operations on one store, from the component protobuf request to its response. Both
 * the gRPC services and the state service over MQTT call these, so the semantics live once. A
 * failure is a {@link StateException} (thrown or completing the future).
 */
public final class StateCalls {
  private StateCalls() {}

  /** ETAG, TRANSACTIONAL, TTL and QUERY_API: what every store here offers. */
  public static ComponentProtos.FeaturesResponse features() {
    return ComponentProtos.FeaturesResponse.newBuilder()
        .addAllFeatures(StateStoreService.FEATURES)
        .build();
  }

  public static State.GetResponse get(RetainedStateStore store, State.GetRequest request) {
    return ProtoMapping.getResponse(store.get(request.getKey()));
  }

  public static CompletableFuture<State.SetResponse> set(
      RetainedStateStore store, State.SetRequest request) {
    return store
        .apply(List.of(ProtoMapping.put(request)))
        .thenApply(orThrow(State.SetResponse.getDefaultInstance()));
  }

  public static CompletableFuture<State.DeleteResponse> delete(
      RetainedStateStore store, State.DeleteRequest request) {
    return store
        .apply(List.of(ProtoMapping.remove(request)))
        .thenApply(orThrow(State.DeleteResponse.getDefaultInstance()));
  }

  public static State.BulkGetResponse bulkGet(
      RetainedStateStore store, State.BulkGetRequest request) {
    BulkWrites.checkItemCount(store, "BulkGet", request.getItemsCount());
    State.BulkGetResponse.Builder response = State.BulkGetResponse.newBuilder();
    long bytes = 0;
    for (State.GetRequest item : request.getItemsList()) {
      try {
        Optional<StateEntry> entry = store.get(item.getKey());
        bytes += entry.map(e -> e.value().length).orElse(0);
        if (bytes > store.config().maxResponseBytes()) {
          throw new StateException(
              new StateError.TooLarge(
                  "BulkGet result is over this store's maxResponseBytes ("
                      + store.config().maxResponseBytes()
                      + " bytes of values): ask for fewer keys at a time"));
        }
        response.addItems(ProtoMapping.bulkItem(item.getKey(), entry));
      } catch (StateException e) {
        if (e.error() instanceof StateError.TooLarge) {
          throw e;
        }
        response.addItems(
            State.BulkStateItem.newBuilder().setKey(item.getKey()).setError(e.getMessage()));
      }
    }
    return response.build();
  }

  public static CompletableFuture<State.BulkSetResponse> bulkSet(
      RetainedStateStore store, State.BulkSetRequest request) {
    return BulkWrites.applyEach(store, "BulkSet", request.getItemsList(), ProtoMapping::put)
        .thenApply(orThrow(State.BulkSetResponse.getDefaultInstance()));
  }

  public static CompletableFuture<State.BulkDeleteResponse> bulkDelete(
      RetainedStateStore store, State.BulkDeleteRequest request) {
    return BulkWrites.applyEach(store, "BulkDelete", request.getItemsList(), ProtoMapping::remove)
        .thenApply(orThrow(State.BulkDeleteResponse.getDefaultInstance()));
  }

  /** All operations in order as one conditional multi-write: all or nothing. */
  public static CompletableFuture<State.TransactionalStateResponse> transact(
      RetainedStateStore store, State.TransactionalStateRequest request) {
    int max = store.config().maxTransactionOperations();
    if (request.getOperationsCount() > max) {
      throw StateException.invalid(
          "transaction has "
              + request.getOperationsCount()
              + " operations, more than maxTransactionOperations "
              + max);
    }
    List<StateOp> ops = new ArrayList<>(request.getOperationsCount());
    for (State.TransactionalStateOperation op : request.getOperationsList()) {
      ops.add(ProtoMapping.op(op));
    }
    return store
        .apply(ops)
        .thenApply(orThrow(State.TransactionalStateResponse.getDefaultInstance()));
  }

  public static State.QueryResponse query(RetainedStateStore store, State.QueryRequest request) {
    return query(store, ProtoMapping.query(request.getQuery()));
  }

  public static State.QueryResponse query(RetainedStateStore store, StateQuery query) {
    QueryPage page = store.query(query);
    State.QueryResponse.Builder response = State.QueryResponse.newBuilder().setToken(page.token());
    page.items().forEach(e -> response.addItems(ProtoMapping.queryItem(e)));
    return response.build();
  }

  /** The response on success; a failure becomes the status the adapter maps it to. */
  static <T> Function<WriteOutcome, T> orThrow(T response) {
    return outcome -> {
      if (outcome instanceof WriteOutcome.Failed failed) {
        throw new StateException(failed.error());
      }
      return response;
    };
  }
}
