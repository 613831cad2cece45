package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.concurrent.SerialExecutor;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One session: an MQTT client's or an in-process subscriber's. Holds the queue of messages not yet
 * sent, the in-flight window of QoS 1/2 messages not yet settled ({@link InflightWindow}), its
 * expiry ({@link SessionExpiry}) and its subscriptions. All state changes happen on the session's
 * {@link SerialExecutor}; public methods only submit tasks.
 */
public final class Session {
  private final String key;
  private final String clientId;
  private final SessionContext ctx;
  private final SerialExecutor executor;

  // Executor-confined.
  private final SessionQueue queue;
  private final InflightWindow inflight;
  private final SessionExpiry expiry;
  private final SessionDelivery delivery;
  private Outbound outbound;

  // Read from other threads.
  private final Map<String, SubscriptionOptions> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, GroupLink> groups = new ConcurrentHashMap<>();
  private final Set<Integer> inboundQos2 = ConcurrentHashMap.newKeySet();
  private volatile boolean online;
  private volatile boolean ended;
  private final DurableSession durable;

  /**
   * @param key the registry key (client ids and in-process session ids live in separate spaces)
   * @param clientId the id reported to hooks and used for no-local
   */
  public Session(String key, String clientId, SessionContext ctx) {
    this.key = key;
    this.clientId = clientId;
    this.ctx = ctx;
    this.executor = new SerialExecutor(ctx.workers());
    this.queue = new SessionQueue(this, ctx);
    this.durable = new DurableSession(key, clientId, ctx.sessions());
    this.inflight =
        new InflightWindow(this, queue, durable, ctx, executor, () -> outbound, this::pump);
    this.delivery = new SessionDelivery(this, queue, inflight, ctx, () -> outbound);
    this.expiry =
        new SessionExpiry(
            ctx.clock(), ctx.scheduler(), executor, () -> outbound == null, this::endNow);
  }

  public String key() {
    return key;
  }

  public String clientId() {
    return clientId;
  }

  public SerialExecutor executor() {
    return executor;
  }

  /** Subscriptions by raw filter; maintained by the subscription index. */
  public Map<String, SubscriptionOptions> subscriptions() {
    return subscriptions;
  }

  /** Shared groups this session is a member of, by raw filter. */
  public Map<String, GroupLink> groups() {
    return groups;
  }

  /** Packet ids of inbound QoS 2 messages received and not yet released [MQTT-4.3.3-9]. */
  public Set<Integer> inboundQos2() {
    return inboundQos2;
  }

  public boolean isOnline() {
    return online;
  }

  public boolean isEnded() {
    return ended;
  }

  /** How many QoS 1/2 messages may be unsettled at once. */
  public int window() {
    return inflight.limit();
  }

  public Duration expiry() {
    return expiry.interval();
  }

  /** Set by CONNECT, or by a 5.0 DISCONNECT before its connection closes. */
  public void setExpiry(Duration value) {
    expiry.interval(value);
  }

  /**
   * Queues a message for delivery. Completes once it is queued (or dropped and counted) and, for a
   * persistent session, once its durable copy is stored; fails if storing fails. Completes with
   * true if the session's full queue dropped the message.
   */
  public CompletableFuture<Boolean> enqueue(QueuedMessage message) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    executor.execute(() -> delivery.enqueue(message, !expiry.interval().isZero(), done));
    return done;
  }

  /**
   * A new session replaces this one under the same key: its stored state goes now, before the new
   * session stores anything, and this session stores nothing more. Any thread.
   */
  public void forgetStored() {
    durable.forget();
  }

  /** Whether a successor owns this session's key in the store. */
  boolean storeForgotten() {
    return durable.forgotten();
  }

  /**
   * Makes an accepted inbound QoS 2 packet id durable (for a session that outlives its connection)
   * so that a resend after a restart is acknowledged but not delivered again [MQTT-4.3.3-10]. The
   * PUBREC waits for it.
   */
  public CompletableFuture<Void> rememberInboundQos2(int packetId) {
    return durable.rememberInboundQos2(expiry.interval(), packetId);
  }

  /** PUBREL received: the packet id may be used again. */
  public void releaseInboundQos2(int packetId) {
    durable.releaseInboundQos2(expiry.interval(), packetId);
  }

  /**
   * Writes the session record again after its subscriptions changed (the subscription index changes
   * them; this only persists the result).
   */
  public void subscriptionsChanged() {
    executor.execute(this::saveRecord);
  }

  /**
   * Writes the session record now, with the expiry a CONNECT just set; completes once it is durable
   * (at once for a session that ends with its connection). CONNACK waits for it: a session it
   * reports must survive a crash.
   */
  public CompletableFuture<Void> storeRecord() {
    return onExecutor(
        () -> {
          saveRecord();
          return durable.lastRecordWrite();
        });
  }

  /**
   * Completes once every record write requested so far is durable. SUBACK and UNSUBACK wait for it:
   * an acknowledged subscription change survives a crash.
   */
  public CompletableFuture<Void> recordStored() {
    return onExecutor(durable::lastRecordWrite);
  }

  private CompletableFuture<Void> onExecutor(Supplier<CompletableFuture<Void>> write) {
    return CompletableFuture.supplyAsync(write, executor).thenCompose(Function.identity());
  }

  /**
   * Brings back a session read from the store at start, before any client can connect: its queued
   * messages (those that were in flight are sent again, except QoS 2 messages past PUBREC, which go
   * on with PUBREL under their packet ids), its inbound QoS 2 packet ids and its expiry, which
   * counts from {@code storedDisconnectedAt} (a session that was connected when the broker stopped
   * counts from now). {@code subscriptionIds} gives a restored message's 5.0 Subscription
   * Identifiers, from the restored subscriptions its topic matches.
   */
  public void restore(
      Instant storedDisconnectedAt,
      List<StoredQueueEntry> queued,
      Set<Integer> inboundIds,
      List<StoredInflight> inflightAtPubrel,
      Function<String, int[]> subscriptionIds) {
    inboundQos2.addAll(inboundIds);
    executor.execute(
        () -> {
          Instant now = expiry.restored(storedDisconnectedAt);
          durable.restored();
          queue.restore(
              inflight.restore(queued, inflightAtPubrel, subscriptionIds), queued, subscriptionIds);
          saveRecord();
          expiry.armAt(now);
        });
  }

  /** Stores this session's record if it outlives its connection; executor-confined. */
  private void saveRecord() {
    if (!ended) {
      durable.save(expiry.interval(), expiry.disconnectedAt(), subscriptions);
    }
  }

  /**
   * A shared group hands this member one of its messages; handed back if this member can't take it.
   */
  public void offerFromGroup(QueuedMessage message) {
    executor.execute(
        () -> {
          if (outbound == null || ended) {
            message.group().giveBack(this, List.of(message));
            return;
          }
          queue.addLast(message);
          pump();
        });
  }

  /**
   * Attaches an outbound. A different outbound still attached is taken over first. {@code
   * onAttached} runs before any message is sent (the MQTT CONNACK goes there), then in-flight
   * messages are resent [MQTT-4.4.0-1] and the queue drains.
   */
  public CompletableFuture<Void> attach(Outbound out, int windowSize, Runnable onAttached) {
    CompletableFuture<Void> attached = new CompletableFuture<>();
    executor.execute(
        () -> {
          try {
            attachNow(out, windowSize, onAttached);
          } finally {
            attached.complete(null);
          }
        });
    return attached;
  }

  private void attachNow(Outbound out, int windowSize, Runnable onAttached) {
    if (outbound != null && outbound != out) {
      Outbound old = outbound;
      detachNow(old);
      old.takenOver();
    }
    expiry.attached();
    outbound = out;
    inflight.limit(windowSize);
    delivery.unpause();
    online = true;
    saveRecord();
    onAttached.run();
    groups.values().forEach(g -> g.memberOnline(this));
    inflight.resend(); // [MQTT-4.4.0-1]
    pump();
  }

  /**
   * Detaches {@code out} if it is still the attached outbound; the session then lives for its
   * expiry. Completes once done (with expiry zero: once the session and its subscriptions are
   * gone).
   */
  public CompletableFuture<Void> detach(Outbound out) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor.execute(
        () -> {
          try {
            if (outbound == out) {
              detachNow(out);
              expiry.detached();
              saveRecord();
              expiry.arm();
            }
          } finally {
            done.complete(null);
          }
        });
    return done;
  }

  /** Ends the session now: subscriptions go, held shared-group messages go back to their groups. */
  public void end() {
    executor.execute(this::endNow);
  }

  /**
   * Ends the session now and takes over any attached outbound (clean start of a new connection).
   */
  public void endAndTakeOver() {
    executor.execute(
        () -> {
          Outbound old = outbound;
          if (old != null) {
            detachNow(old);
            old.takenOver();
          }
          endNow();
        });
  }

  public void pause() {
    executor.execute(delivery::pause);
  }

  public void resume() {
    executor.execute(
        () -> {
          delivery.unpause();
          pump();
        });
  }

  /** The outbound has room again ({@link Outbound#hasRoom()}): send what waits. */
  public void outboundHasRoom() {
    executor.execute(this::pump);
  }

  /** How many QoS 1/2 messages are in flight, read on the session's executor. */
  public CompletableFuture<Integer> inflightCount() {
    CompletableFuture<Integer> count = new CompletableFuture<>();
    executor.execute(() -> count.complete(inflight.size()));
    return count;
  }

  /**
   * PUBACK, PUBCOMP or an in-process ack. {@code expected} guards against stale acks (may be null).
   */
  public void settle(int packetId, InflightEntry expected) {
    executor.execute(() -> inflight.settle(packetId, expected));
  }

  /**
   * PUBREC: a failure reason code settles the message; success moves it to PUBREL [MQTT-4.3.3-4].
   */
  public void pubrec(int packetId, boolean failed) {
    executor.execute(() -> inflight.pubrec(packetId, failed));
  }

  /** An in-process nack: the message is queued again after {@code delay}. */
  public void nack(int packetId, InflightEntry expected, Duration delay) {
    executor.execute(() -> inflight.nack(packetId, expected, delay));
  }

  // ---- executor-confined internals ----

  private void pump() {
    delivery.pump();
  }

  private void detachNow(Outbound out) {
    outbound = null;
    online = false;
    groups.values().forEach(g -> g.memberOffline(this));
    if (out.requeueOnDetach()) {
      // In-process: unsettled messages are delivered again, shared ones to any member.
      queue.addFirst(inflight.takeAll());
      queue.returnGroupMessages();
    }
  }

  private void endNow() {
    if (ended) {
      return;
    }
    ended = true;
    online = false;
    expiry.cancel();
    queue.addFirst(inflight.takeAll());
    queue.close();
    inboundQos2.clear();
    durable.delete();
    ctx.onEnd().accept(this);
  }

  @Override
  public String toString() {
    return "Session[" + key + "]";
  }
}
