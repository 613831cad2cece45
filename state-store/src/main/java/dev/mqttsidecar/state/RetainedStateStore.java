package dev.mqttsidecar.state;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import dev.mqttsidecar.state.query.QueryEngine;
import dev.mqttsidecar.state.query.QueryPage;
import dev.mqttsidecar.state.query.StateQuery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One state store instance: Dapr keys as retained messages under the instance's topic prefix. All
 * consistency comes from the broker's atomic conditional {@link RetainedStore#write}; this class
 * holds no locks.
 */
public final class RetainedStateStore {
  private final RetainedStore retained;
  private final StoreConfig config;
  private final StateTopics topics;
  private final WritePlanner planner;
  private final QueryEngine queries;

  public RetainedStateStore(RetainedStore retained, StoreConfig config, Clock clock) {
    this.retained = retained;
    this.config = config;
    this.topics = new StateTopics(config.topicPrefix());
    this.planner = new WritePlanner(topics, config, clock);
    this.queries = new QueryEngine();
  }

  public StoreConfig config() {
    return config;
  }

  /**
   * The retained topic of a key.
   *
   * @throws StateException INVALID_ARGUMENT for a key no topic can represent
   */
  public String topicOf(String key) {
    return topics.topicOf(key);
  }

  /**
   * The current value of a key.
   *
   * @throws StateException INVALID_ARGUMENT for a key no topic can represent
   */
  public Optional<StateEntry> get(String key) {
    return retained.get(topics.topicOf(key)).map(m -> entry(key, m));
  }

  /**
   * Applies the operations atomically and in order, or none of them. A failed ETag or first-write
   * condition is an {@link StateError.EtagMismatch}.
   */
  public CompletableFuture<WriteOutcome> apply(List<? extends StateOp> ops) {
    List<RetainedWrite> writes;
    try {
      writes = planner.plan(ops);
    } catch (StateException e) {
      return CompletableFuture.completedFuture(new WriteOutcome.Failed(e.error()));
    }
    if (writes.isEmpty()) {
      return CompletableFuture.completedFuture(new WriteOutcome.Applied(List.of()));
    }
    return retained.write(writes).thenApply(result -> outcome(ops, result));
  }

  /** Runs a query over this instance's keys. */
  public QueryPage query(StateQuery query) {
    List<String> keys = new ArrayList<>();
    for (String topic : retained.topics(topics.prefix())) {
      topics.keyOf(topic).ifPresent(keys::add);
    }
    return queries.run(
        query,
        keys,
        this::get,
        new QueryEngine.Limits(config.maxBulkItems(), config.maxResponseBytes()));
  }

  private static WriteOutcome outcome(List<? extends StateOp> ops, RetainedWriteResult result) {
    return switch (result.status()) {
      case APPLIED -> {
        List<String> etags = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
          long version = i < result.versions().size() ? result.versions().get(i) : 0;
          etags.add(ops.get(i) instanceof StateOp.Put && version > 0 ? Long.toString(version) : "");
        }
        yield new WriteOutcome.Applied(etags);
      }
      case CONFLICT -> {
        int index =
            result.failedIndex() >= 0 && result.failedIndex() < ops.size()
                ? result.failedIndex()
                : 0;
        String key = ops.get(index).key();
        yield new WriteOutcome.Failed(
            new StateError.EtagMismatch(key, mismatchMessage(ops.get(index))));
      }
      case INVALID ->
          new WriteOutcome.Failed(
              new StateError.InvalidArgument("rejected by the broker: " + result.reason()));
      case STORAGE_FAILED ->
          new WriteOutcome.Failed(
              new StateError.Unavailable("could not store the change: " + result.reason()));
      case STORAGE_BUSY ->
          new WriteOutcome.Failed(
              new StateError.Busy("the store is busy, retry later: " + result.reason()));
      case QUOTA_EXCEEDED ->
          new WriteOutcome.Failed(
              new StateError.QuotaExceeded("over the broker's retained quota: " + result.reason()));
    };
  }

  private static String mismatchMessage(StateOp op) {
    if (op.precondition() instanceof Precondition.Absent) {
      return "possible etag mismatch: key '" + op.key() + "' already exists (first-write)";
    }
    return "possible etag mismatch: key '" + op.key() + "' has a different etag or does not exist";
  }

  private static StateEntry entry(String key, RetainedMessage retainedMessage) {
    Message m = retainedMessage.message();
    return new StateEntry(
        key,
        m.payload(),
        Long.toString(retainedMessage.version()),
        m.properties().contentType(),
        m.expiresAt());
  }
}
