package dev.mqttsidecar.broker.persistence;

import java.util.concurrent.CompletableFuture;

/**
 * Durable storage of persistent sessions' records (client id, expiry, disconnect time,
 * subscriptions). Their queued messages are in {@link QueuePersistence}. Writes of one session are
 * submitted from its serial executor, so they reach the store in order.
 */
public interface SessionPersistence {

  /** Stores (replaces) a session's record. */
  CompletableFuture<Void> save(StoredSession session);

  /** Forgets a session: its record and its queue. */
  CompletableFuture<Void> delete(String sessionKey);

  /**
   * Forgets a session's record, in-flight entries and inbound packet ids but keeps its queue: the
   * session stopped outliving its connection, yet it still reads its stored messages back while it
   * delivers them. A queue without a record is dropped at the next start.
   */
  CompletableFuture<Void> deleteRecord(String sessionKey);

  /**
   * Records an inbound QoS 2 packet id as received, so a resend after a restart is not delivered
   * again.
   */
  CompletableFuture<Void> rememberInboundQos2(String sessionKey, int packetId);

  /** Forgets an inbound QoS 2 packet id (PUBREL received). */
  CompletableFuture<Void> releaseInboundQos2(String sessionKey, int packetId);

  /** Records an outbound in-flight message (at PUBREC, so a restart resends PUBREL). */
  CompletableFuture<Void> rememberInflight(String sessionKey, StoredInflight entry);

  /** Forgets a settled outbound message's in-flight entry. */
  CompletableFuture<Void> forgetInflight(String sessionKey, int packetId);

  /** Nothing is stored: sessions live in memory only. */
  SessionPersistence NONE =
      new SessionPersistence() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletableFuture<Void> save(StoredSession session) {
          return done;
        }

        @Override
        public CompletableFuture<Void> delete(String sessionKey) {
          return done;
        }

        @Override
        public CompletableFuture<Void> deleteRecord(String sessionKey) {
          return done;
        }

        @Override
        public CompletableFuture<Void> rememberInboundQos2(String sessionKey, int packetId) {
          return done;
        }

        @Override
        public CompletableFuture<Void> releaseInboundQos2(String sessionKey, int packetId) {
          return done;
        }

        @Override
        public CompletableFuture<Void> rememberInflight(String sessionKey, StoredInflight entry) {
          return done;
        }

        @Override
        public CompletableFuture<Void> forgetInflight(String sessionKey, int packetId) {
          return done;
        }
      };
}
