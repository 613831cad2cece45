package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.Message;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable storage of messages queued for persistent sessions and shared groups. The broker keeps
 * its working queues in memory and mirrors them here; an acknowledgement to a publisher waits for
 * {@link #append}. Keys: a queue id (session key or group key) and a per-queue sequence number.
 */
public interface QueuePersistence extends AutoCloseable {

  /** Stores a message at the tail of a queue. */
  CompletableFuture<Void> append(String queueId, long sequence, Message message);

  /**
   * Whether {@link #read} gives stored messages back, so queues may keep only their headers in
   * memory.
   */
  default boolean readable() {
    return false;
  }

  /** A stored message, when {@link #readable}; empty when it is not stored. */
  default Optional<Message> read(String queueId, long sequence) {
    return Optional.empty();
  }

  /** Forgets a settled or dropped message. */
  CompletableFuture<Void> remove(String queueId, long sequence);

  /** Forgets a whole queue (the session or group ended). */
  CompletableFuture<Void> drop(String queueId);

  @Override
  default void close() {}

  /** Nothing is stored: queues live in memory only. */
  QueuePersistence NONE =
      new QueuePersistence() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletableFuture<Void> append(String queueId, long sequence, Message message) {
          return done;
        }

        @Override
        public CompletableFuture<Void> remove(String queueId, long sequence) {
          return done;
        }

        @Override
        public CompletableFuture<Void> drop(String queueId) {
          return done;
        }
      };
}
