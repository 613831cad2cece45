package dev.mqttsidecar.broker.persistence;

import java.util.concurrent.CompletableFuture;

/**
 * Durable storage of the wills of live connections and of wills waiting for their delay, one per
 * client id. Writes for one client id must be submitted in the order they are meant to apply: the
 * store applies writes in submission order.
 */
public interface WillPersistence {

  /** Stores (replaces) the client's will; completes once it is durable. */
  CompletableFuture<Void> save(StoredWill will);

  /** Forgets the client's will. */
  CompletableFuture<Void> delete(String clientId);

  /** Whether wills are stored at all (false in memory mode). */
  default boolean isDurable() {
    return true;
  }

  /** Nothing is stored: wills live in memory only and end with the process. */
  WillPersistence NONE =
      new WillPersistence() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletableFuture<Void> save(StoredWill will) {
          return done;
        }

        @Override
        public CompletableFuture<Void> delete(String clientId) {
          return done;
        }

        @Override
        public boolean isDurable() {
          return false;
        }
      };
}
