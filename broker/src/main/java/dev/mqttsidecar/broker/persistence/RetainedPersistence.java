package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.RetainedMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where retained messages live. The broker keeps only their {@link RetainedHeader}s in memory (for
 * topic matching and versions) and reads whole messages from here, so payloads need not fit in
 * memory. Writes are batches applied atomically; the future completes once the batch is durable, so
 * acknowledgements wait on it and event loops never do.
 */
public interface RetainedPersistence extends AutoCloseable {

  /**
   * One change in a batch.
   *
   * @param topic the topic
   * @param value the new retained message, or null for a delete
   */
  record Change(String topic, RetainedMessage value) {}

  /** Visits the header of every stored, unexpired message, for the broker's start. */
  void loadHeaders(Consumer<RetainedHeader> visitor);

  /**
   * The message stored for {@code topic}, or empty. Reflects every write submitted before the call,
   * durable or not, except a write that failed.
   */
  Optional<RetainedMessage> read(String topic);

  /** Applies a batch atomically. */
  CompletableFuture<Void> write(List<Change> batch);

  /**
   * The highest version ever given out, deletes included (which store no message); the broker's
   * version counter continues after it so an ETag never repeats. 0 when nothing is stored.
   */
  default long versionHighWater() {
    return 0L;
  }

  @Override
  default void close() {}
}
