package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.persistence.StoredWill;
import dev.mqttsidecar.broker.persistence.WillPersistence;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wills the broker holds, at most one per client id: that of a live connection, or one waiting
 * for its delay. On a durable store each is stored until it can no longer fire, and this map of
 * client ids tells which are, so a CONNECT without a will writes nothing unless its client has one
 * stored. Two connections of one client (a takeover) race on different event loops; every write is
 * submitted while the client's map entry is held, so the store applies them in the order the map
 * saw them and a replaced connection never deletes its successor's will.
 */
final class PendingWills {
  private static final Logger LOG = LoggerFactory.getLogger(PendingWills.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** One held will; its identity tells whether it is still the client's current one. */
  static final class Entry {
    private final String clientId;
    private CompletableFuture<Void> written = DONE; // set under the map entry's lock

    private Entry(String clientId) {
      this.clientId = clientId;
    }

    /** Completes once the will is durable (at once without a durable store). */
    CompletableFuture<Void> written() {
      return written;
    }
  }

  private final WillPersistence store;
  private final PendingWillLimit limit;
  private final Map<String, Entry> current = new ConcurrentHashMap<>();

  PendingWills(WillPersistence store, PendingWillLimit limit) {
    this.store = store;
    this.limit = limit;
  }

  PendingWillLimit limit() {
    return limit;
  }

  /**
   * Holds (and stores) the will of a connection whose CONNECT is being accepted, replacing the
   * client's previous one; null, changing nothing, when a will of a new client id would exceed the
   * cap.
   */
  Entry add(String clientId, Wills.Will will, Duration sessionExpiry) {
    Entry entry = new Entry(clientId);
    StoredWill record =
        store.isDurable()
            ? new StoredWill(
                clientId, will.message(), will.expiryInterval(), will.delay(), sessionExpiry)
            : null;
    return current.compute(
        clientId,
        (id, previous) -> {
          if (previous == null && !limit.tryTake()) {
            return null;
          }
          if (record != null) {
            entry.written = store.save(record);
          }
          return entry;
        });
  }

  /**
   * A connection without a will is being accepted: the client's held will, if any, can no longer
   * fire (its connection was replaced, or it reconnected within the delay [MQTT-3.1.3-9]).
   * Completes at once when it has none, so such a CONNECT writes nothing.
   */
  CompletableFuture<Void> clear(String clientId) {
    @SuppressWarnings("unchecked")
    CompletableFuture<Void>[] deleted = new CompletableFuture[] {DONE};
    current.computeIfPresent(
        clientId,
        (id, previous) -> {
          limit.release();
          if (store.isDurable()) {
            deleted[0] = store.delete(id);
          }
          return null;
        });
    return deleted[0];
  }

  /**
   * The will of {@code entry} can no longer fire (published, or discarded by a normal DISCONNECT):
   * forgets it unless a newer will of the client replaced it. Null is ignored.
   */
  void forget(Entry entry) {
    if (entry == null) {
      return;
    }
    current.computeIfPresent(
        entry.clientId,
        (id, held) -> {
          if (held != entry) {
            return held;
          }
          limit.release();
          if (store.isDurable()) {
            store.delete(id).whenComplete((v, e) -> logFailedDelete(id, e));
          }
          return null;
        });
  }

  private static void logFailedDelete(String clientId, Throwable failure) {
    if (failure != null) {
      LOG.warn("will of {} not deleted from the store: {}", clientId, failure.toString());
    }
  }

  /** A will read back at start; it stays stored until it is published or replaced. */
  Entry restored(String clientId) {
    Entry entry = new Entry(clientId);
    if (current.put(clientId, entry) == null) {
      limit.take();
    }
    return entry;
  }
}
