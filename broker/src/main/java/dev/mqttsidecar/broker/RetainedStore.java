package dev.mqttsidecar.broker;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Direct access to the broker's retained messages; the state store is built on it. */
public interface RetainedStore {

  /** The current, unexpired retained message of a topic. */
  Optional<RetainedMessage> get(String topic);

  /**
   * All unexpired retained messages whose topic starts with {@code topicPrefix}, in topic order.
   * Reads every payload: for prefixes known to hold few messages.
   */
  List<RetainedMessage> list(String topicPrefix);

  /**
   * The topics of all unexpired retained messages that start with {@code topicPrefix}, in topic
   * order, from memory: no payload is read. Read the messages one by one with {@link #get}.
   */
  List<String> topics(String topicPrefix);

  /**
   * A page of {@link #topics(String)}: up to {@code limit} topics that sort after {@code after} (""
   * for the first page), in topic order.
   */
  default List<String> topics(String topicPrefix, String after, int limit) {
    return topics(topicPrefix).stream().filter(t -> t.compareTo(after) > 0).limit(limit).toList();
  }

  /**
   * Applies all writes atomically and in order (a later write of the same topic sees the earlier
   * one's result), or none if any condition fails or their net effect would pass a {@link Quotas
   * retained quota}. Applied writes are durable when the future completes, and live subscribers of
   * the affected topics receive each topic's final value as a retained publish (an empty payload
   * for a delete).
   */
  CompletableFuture<RetainedWriteResult> write(List<RetainedWrite> writes);

  /** Number of retained messages held. */
  long size();
}
