package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.persistence.StoredSession;
import dev.mqttsidecar.broker.persistence.StoredSubscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps a session's stored state (record, in-flight entries past PUBREC, inbound QoS 2 packet ids)
 * in step with the session, while the session outlives its connection. A session gets one with its
 * first write, QoS 2 packet or successor ({@link Session#stored}). Called from the session's
 * executor, except the public methods, which any thread may call.
 */
public final class DurableSession {
  /** A write that is done; shared, as nobody completes or changes it. */
  static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Session owner;
  private final String key;
  private final SessionPersistence store;
  private boolean recordSaved; // executor-confined: a record of this session may be stored
  private CompletableFuture<Void> lastRecordWrite = DONE;
  private volatile boolean forgotten; // a successor under this key owns the stored state
  private final Set<Integer> inboundQos2 = ConcurrentHashMap.newKeySet();

  DurableSession(Session owner, SessionPersistence store) {
    this.owner = owner;
    this.key = owner.key();
    this.store = store;
  }

  /**
   * Packet ids of inbound QoS 2 messages received and not yet released [MQTT-4.3.3-9], stored (by
   * {@link #rememberInboundQos2}) while the session outlives its connection.
   */
  public Set<Integer> inboundQos2() {
    return inboundQos2;
  }

  /**
   * Makes an accepted inbound QoS 2 packet id durable (for a session that outlives its connection)
   * so that a resend after a restart is acknowledged but not delivered again [MQTT-4.3.3-10]. The
   * PUBREC waits for it.
   */
  public CompletableFuture<Void> rememberInboundQos2(int packetId) {
    return owner.expiry().isZero() || forgotten ? DONE : store.rememberInboundQos2(key, packetId);
  }

  /** PUBREL received: the packet id may be used again, and is forgotten in the store too. */
  public void releaseInboundQos2(int packetId) {
    if (!owner.expiry().isZero() && !forgotten) {
      store.releaseInboundQos2(key, packetId);
    }
  }

  /**
   * A new session replaces this one under the same key: deletes the stored record and queue now,
   * from the replacing thread, before the new session can store anything (the store applies writes
   * in submission order). From here on nothing is written under the key for this session, so a late
   * settle or drop can never delete an entry of its successor.
   */
  public void forget() {
    forgotten = true;
    store.delete(key);
  }

  boolean forgotten() {
    return forgotten;
  }

  /** The session was read back from the store. */
  void restored() {
    recordSaved = true;
  }

  /**
   * Stores the record if the session outlives its connection, else forgets a stale one. {@code
   * replayMarks} are the restart marks of retained replays not done yet, by filter.
   */
  void save(
      Duration expiry,
      Instant disconnectedAt,
      Map<String, SubscriptionOptions> subs,
      Map<String, Long> replayMarks) {
    if (forgotten) {
      return;
    }
    if (expiry.isZero()) {
      // No longer persistent, yet the session lives until its connection closes (5.0 section
      // 3.1.2.11.2) and reads its stored messages back while it sends them: its queue goes when
      // the session ends.
      if (recordSaved) {
        recordSaved = false;
        store.deleteRecord(key);
      }
      return;
    }
    List<StoredSubscription> stored = new ArrayList<>(subs.size());
    subs.forEach(
        (filter, o) ->
            stored.add(
                new StoredSubscription(
                    filter,
                    o.qos(),
                    o.noLocal(),
                    o.retainAsPublished(),
                    o.retainHandling(),
                    o.subscriptionId(),
                    replayMarks.getOrDefault(filter, 0L))));
    recordSaved = true;
    lastRecordWrite =
        store.save(new StoredSession(key, owner.clientId(), expiry, disconnectedAt, stored));
  }

  /**
   * Completes once the last record written is durable, and with it every earlier write (the store
   * applies writes in submission order).
   */
  CompletableFuture<Void> lastRecordWrite() {
    return lastRecordWrite;
  }

  /** The session ended: its record, queue and in-flight state go. */
  void delete() {
    inboundQos2.clear();
    if (recordSaved && !forgotten) {
      recordSaved = false;
      store.delete(key);
    }
  }

  /** Whether the message's durable copy is in this session's own queue (not a group's). */
  boolean owns(QueuedMessage m) {
    return !forgotten && key.equals(m.storedIn());
  }

  /**
   * Whether in-flight state of {@code m} is worth storing: the session has a stored record (it
   * outlives its connection) and the message a copy in its queue. Entries of a session without a
   * record would be skipped at start and linger.
   */
  private boolean recordsInflight(QueuedMessage m) {
    return recordSaved && owns(m);
  }

  /**
   * A stored QoS 2 message is about to be sent to an MQTT client under {@code e}'s packet id: the
   * id is stored first, so that after a restart the message is resent under the same id with DUP
   * set and the client, which may hold that id already, does not deliver it twice [MQTT-4.4.0-1]
   * [MQTT-4.3.3-9]. Null when nothing needs storing (the message is not stored in this session).
   */
  CompletableFuture<Void> sendingQos2(InflightEntry e) {
    if (!recordsInflight(e.message())) {
      return null;
    }
    e.markRecorded();
    return store.rememberInflight(
        key, new StoredInflight(e.packetId(), e.message().sequence(), false));
  }

  /** QoS 2 PUBREC: after a restart the flow goes on with PUBREL, never a second PUBLISH. */
  void pubrecReceived(InflightEntry e) {
    if (recordsInflight(e.message())) {
      e.markRecorded();
      store.rememberInflight(key, new StoredInflight(e.packetId(), e.message().sequence(), true));
    }
  }

  void settled(InflightEntry e) {
    if (e.recorded() && owns(e.message())) {
      store.forgetInflight(key, e.packetId());
    }
  }

  /**
   * Puts the stored messages that had a packet id (QoS 2, sent or past PUBREC) back in flight under
   * their ids and returns the other stored messages, which go back to the queue. In-flight entries
   * whose message is gone are forgotten.
   */
  List<StoredQueueEntry> restoreInflight(
      List<StoredQueueEntry> queued,
      List<StoredInflight> inflight,
      Map<Integer, InflightEntry> into,
      Function<String, int[]> subscriptionIds) {
    List<StoredQueueEntry> rest = new ArrayList<>(queued);
    for (StoredInflight s : inflight) {
      StoredQueueEntry entry =
          rest.stream().filter(q -> q.sequence() == s.sequence()).findFirst().orElse(null);
      if (entry == null) {
        store.forgetInflight(key, s.packetId());
        continue;
      }
      rest.remove(entry);
      QueuedMessage m = QueuedMessage.direct(entry.message(), entry.message());
      m.storedAt(key, entry.sequence());
      m.withSubscriptionIds(subscriptionIds.apply(entry.message().topic()));
      if (entry.contentInStore()) {
        m.contentLeftInStore(entry.payloadSize());
      }
      InflightEntry e = new InflightEntry(s.packetId(), m);
      e.markRecorded();
      if (s.pubrecReceived()) {
        e.markPubrecReceived();
      }
      into.put(s.packetId(), e);
    }
    return rest;
  }
}
