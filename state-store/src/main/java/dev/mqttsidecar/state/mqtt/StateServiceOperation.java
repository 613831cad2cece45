package dev.mqttsidecar.state.mqtt;

import com.google.protobuf.Message;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.grpc.StateCalls;
import io.dapr.v1.ComponentProtos;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The operations of the state service, each the last topic level of its request topic, with the
 * Dapr component request it reads and the call that answers it.
 */
public enum StateServiceOperation {
  GET("get", State.GetRequest.getDefaultInstance()),
  BULK_GET("bulk-get", State.BulkGetRequest.getDefaultInstance()),
  SET("set", State.SetRequest.getDefaultInstance()),
  BULK_SET("bulk-set", State.BulkSetRequest.getDefaultInstance()),
  DELETE("delete", State.DeleteRequest.getDefaultInstance()),
  BULK_DELETE("bulk-delete", State.BulkDeleteRequest.getDefaultInstance()),
  TRANSACT("transact", State.TransactionalStateRequest.getDefaultInstance()),
  QUERY("query", State.QueryRequest.getDefaultInstance()),
  FEATURES("features", ComponentProtos.FeaturesRequest.getDefaultInstance());

  private final String topicLevel;
  private final Message requestPrototype;

  StateServiceOperation(String topicLevel, Message requestPrototype) {
    this.topicLevel = topicLevel;
    this.requestPrototype = requestPrototype;
  }

  /** The request topic's last level, e.g. {@code bulk-get}. */
  public String topicLevel() {
    return topicLevel;
  }

  /** An empty request of the type this operation reads, to parse into. */
  public Message requestPrototype() {
    return requestPrototype;
  }

  /** The operation a topic level names, if any. */
  public static Optional<StateServiceOperation> named(String level) {
    String lower = level.toLowerCase(Locale.ROOT);
    for (StateServiceOperation op : values()) {
      if (op.topicLevel.equals(lower)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /** Runs the call; a refusal is a StateException, thrown or completing the future. */
  CompletableFuture<? extends Message> call(RetainedStateStore store, Message request) {
    return switch (this) {
      case GET -> done(StateCalls.get(store, (State.GetRequest) request));
      case BULK_GET -> done(StateCalls.bulkGet(store, (State.BulkGetRequest) request));
      case SET -> StateCalls.set(store, (State.SetRequest) request);
      case BULK_SET -> StateCalls.bulkSet(store, (State.BulkSetRequest) request);
      case DELETE -> StateCalls.delete(store, (State.DeleteRequest) request);
      case BULK_DELETE -> StateCalls.bulkDelete(store, (State.BulkDeleteRequest) request);
      case TRANSACT -> StateCalls.transact(store, (State.TransactionalStateRequest) request);
      case QUERY -> done(StateCalls.query(store, (State.QueryRequest) request));
      case FEATURES -> done(StateCalls.features());
    };
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
