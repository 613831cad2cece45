package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.RetainedMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Durable storage of retained messages. Writes are batches applied atomically; the future completes
 * once the batch is durable, so acknowledgements wait on it and event loops never do.
 */
public interface RetainedPersistence extends AutoCloseable {

  /**
   * One change in a batch.
   *
   * @param topic the topic
   * @param value the new retained message, or null for a delete
   */
  record Change(String topic, RetainedMessage value) {}

  /** Everything stored, for the broker's start. */
  List<RetainedMessage> loadAll();

  /** Applies a batch atomically. */
  CompletableFuture<Void> write(List<Change> batch);

  @Override
  default void close() {}
}
