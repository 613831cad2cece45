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
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One session: an MQTT client's or an in-process subscriber's. Holds the queue of messages not yet
 * sent, the in-flight window of QoS 1/2 messages not yet settled and the expiry timer ({@link
 * SessionState}), the stored state's keeper ({@link DurableSession}) and its subscriptions. All
 * state changes happen on the session's {@link SerialExecutor}; public methods only submit tasks.
 * Most sessions sit idle and many never subscribe or get a message, so each part is made when first
 * needed: an idle session costs a few dozen bytes.
 */
public final class Session {
  private static final AtomicReferenceFieldUpdater<Session, DurableSession> DURABLE =
      AtomicReferenceFieldUpdater.newUpdater(Session.class, DurableSession.class, "durable");

  private final String key;
  private final String clientId;
  private final SessionContext ctx;
  private final SerialExecutor executor;

  // Executor-confined.
  private SessionState state; // made by the first message or disconnect
  private Outbound outbound;

  // Read from other threads.
  private volatile Duration expiryInterval = Duration.ZERO;
  private volatile int window = 1;
  private volatile SessionSubscriptions subscriptions; // made by the first subscription
  private volatile DurableSession durable; // made by the first stored write, QoS 2 packet or forget
  private volatile boolean online;
  private volatile boolean ended;

  /**
   * @param key the registry key (client ids and in-process session ids live in separate spaces)
   * @param clientId the id reported to hooks and used for no-local
   */
  public Session(String key, String clientId, SessionContext ctx) {
    this.key = key;
    this.clientId = clientId;
    this.ctx = ctx;
    this.executor = new SerialExecutor(ctx.workers());
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

  /** Subscriptions by raw filter; read-only (see {@link #subscriptionRecord}). */
  public Map<String, SubscriptionOptions> subscriptions() {
    SessionSubscriptions s = subscriptions;
    return s == null ? Map.of() : s.filters();
  }

  /** Shared groups this session is a member of, by raw filter; read-only. */
  public Map<String, GroupLink> groups() {
    SessionSubscriptions s = subscriptions;
    return s == null ? Map.of() : s.groups();
  }

  /** The subscriptions for the subscription index to change (under its lock); made on first use. */
  public SessionSubscriptions subscriptionRecord() {
    if (subscriptions == null) {
      subscriptions = new SessionSubscriptions();
    }
    return subscriptions;
  }

  /** The keeper of its stored state and inbound QoS 2 packet ids; made on first use, any thread. */
  public DurableSession stored() {
    DurableSession d = durable;
    if (d == null) {
      DurableSession made = new DurableSession(this, ctx.sessions());
      d = DURABLE.compareAndSet(this, null, made) ? made : durable;
    }
    return d;
  }

  public boolean isOnline() {
    return online;
  }

  public boolean isEnded() {
    return ended;
  }

  /** How many QoS 1/2 messages may be unsettled at once. */
  public int window() {
    return window;
  }

  public Duration expiry() {
    return expiryInterval;
  }

  /** Set by CONNECT, or by a 5.0 DISCONNECT before its connection closes. */
  public void setExpiry(Duration value) {
    expiryInterval = value;
  }

  /**
   * Queues a message for delivery. Completes once it is queued (or dropped and counted) and, for a
   * persistent session, once its durable copy is stored; fails if storing fails. Completes with
   * true if the session's full queue dropped the message.
   */
  public CompletableFuture<Boolean> enqueue(QueuedMessage message) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    executor.execute(() -> state().enqueue(message, !expiryInterval.isZero(), done));
    return done;
  }

  /**
   * Sends {@code backlog} a batch at a time while attached with room, in place of one under {@code
   * key}, until the session ends. A positive {@code restartMark} stays in the session record until
   * the backlog is done, so that a restart makes it again from the mark (see {@link
   * dev.mqttsidecar.broker.persistence.StoredSubscription#replayBefore}): what it had handed out
   * before may then come twice, nothing is lost. A {@code held} backlog waits for {@link
   * #releaseReplays}, so that an acknowledgement can go first.
   */
  public void replay(String key, Backlog backlog, long restartMark, boolean held) {
    executor.execute(() -> state().startReplay(key, backlog, restartMark, held, ended));
  }

  /** Lets the held backlogs under {@code keys} send. */
  public void releaseReplays(List<String> keys) {
    ifState(s -> s.releaseReplays(keys));
  }

  /** Stops the backlog under {@code key}, if any. */
  public void stopReplay(String key) {
    ifState(s -> s.stopReplay(key));
  }

  /** Whether a successor owns this session's key in the store. */
  boolean storeForgotten() {
    DurableSession d = durable;
    return d != null && d.forgotten();
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
    return recordWrite(true);
  }

  /**
   * Completes once every record write requested so far is durable. SUBACK and UNSUBACK wait for it:
   * an acknowledged subscription change survives a crash.
   */
  public CompletableFuture<Void> recordStored() {
    return recordWrite(false);
  }

  /** On the executor: saves the record first if asked, then waits for the last write. */
  private CompletableFuture<Void> recordWrite(boolean saveFirst) {
    Supplier<CompletableFuture<Void>> write =
        () -> {
          if (saveFirst) {
            saveRecord();
          }
          DurableSession d = durable;
          return d == null ? DurableSession.DONE : d.lastRecordWrite();
        };
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
    stored().inboundQos2().addAll(inboundIds);
    executor.execute(
        () -> {
          durable.restored();
          Instant now =
              state().restore(storedDisconnectedAt, queued, inflightAtPubrel, subscriptionIds);
          saveRecord();
          state.armExpiryAt(now);
        });
  }

  /** Stores this session's record if it outlives its connection; executor-confined. */
  void saveRecord() {
    Duration interval = expiryInterval;
    DurableSession d = durable;
    if (ended || (d == null && interval.isZero())) {
      return; // nothing stored, nothing to delete
    }
    if (state == null) {
      stored().save(interval, null, subscriptions(), Map.of());
    } else {
      stored().save(interval, state.disconnectedAt(), subscriptions(), state.replayMarks());
    }
  }

  /** The queue, window, delivery and expiry timer, made on first need; executor-confined. */
  private SessionState state() {
    if (state == null) {
      state = new SessionState(this, ctx, stored(), window);
    }
    return state;
  }

  /** Where messages go now, null while detached; executor-confined. */
  Outbound outbound() {
    return outbound;
  }

  /** A shared group hands this member a message; handed back if this member can't take it. */
  public void offerFromGroup(QueuedMessage message) {
    executor.execute(
        () -> {
          if (outbound == null || ended) {
            message.group().giveBack(this, List.of(message));
            return;
          }
          state().offerFromGroup(message);
        });
  }

  /**
   * Attaches an outbound. A different outbound still attached is taken over first. {@code
   * onAttached} runs before any message is sent (the MQTT CONNACK goes there), then in-flight
   * messages are resent [MQTT-4.4.0-1] and the queue drains.
   */
  public CompletableFuture<Void> attach(Outbound out, int windowSize, Runnable onAttached) {
    return executor.run(() -> attachNow(out, windowSize, onAttached));
  }

  private void attachNow(Outbound out, int windowSize, Runnable onAttached) {
    if (outbound != null && outbound != out) {
      Outbound old = outbound;
      detachNow(old);
      old.takenOver();
    }
    outbound = out;
    window = Math.max(1, windowSize);
    if (state != null) {
      state.attached(windowSize);
    }
    online = true;
    saveRecord();
    onAttached.run();
    groups().values().forEach(g -> g.memberOnline(this));
    if (state != null) {
      state.resend(); // [MQTT-4.4.0-1]
    }
  }

  /**
   * Detaches {@code out} if it is still the attached outbound; the session then lives for its
   * expiry. Completes once done (with expiry zero: once the session and its subscriptions are
   * gone).
   */
  public CompletableFuture<Void> detach(Outbound out) {
    return executor.run(
        () -> {
          if (outbound != out) {
            return;
          }
          detachNow(out);
          if (expiryInterval.isZero()) {
            saveRecord(); // forgets a record an earlier interval stored
            endNow();
          } else {
            state().detached();
            saveRecord();
            state.armExpiry();
          }
        });
  }

  /** Ends the session now: subscriptions go, held shared-group messages go back to their groups. */
  public void end() {
    executor.execute(this::endNow);
  }

  /**
   * Ends the session on its executor and closes its connection as taken over (a new connection's
   * clean start).
   *
   * @return completes once the session has ended: its subscriptions no longer match
   */
  public CompletableFuture<Void> endAndTakeOver() {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    executor.execute(
        () -> {
          try {
            Outbound old = outbound;
            if (old != null) {
              detachNow(old);
              old.takenOver();
            }
            endNow();
          } finally {
            ended.complete(null);
          }
        });
    return ended;
  }

  public void pause() {
    executor.execute(() -> state().pause());
  }

  public void resume() {
    ifState(SessionState::resume);
  }

  /** The outbound has room again ({@link Outbound#hasRoom()}): send what waits. */
  public void outboundHasRoom() {
    ifState(SessionState::pump);
  }

  /** Runs {@code action} on the executor if the session has its state: nothing waits otherwise. */
  private void ifState(Consumer<SessionState> action) {
    executor.execute(
        () -> {
          if (state != null) {
            action.accept(state);
          }
        });
  }

  /** How many QoS 1/2 messages are in flight, read on the session's executor. */
  public CompletableFuture<Integer> inflightCount() {
    return counts((queued, inflight) -> inflight);
  }

  /** Queued and in-flight counts (0 and 0 before any state), read in one pass on the executor. */
  public <T> CompletableFuture<T> counts(BiFunction<Integer, Integer, T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    executor.execute(
        () ->
            result.complete(
                state == null
                    ? read.apply(0, 0)
                    : read.apply(state.queuedCount(), state.inflightCount())));
    return result;
  }

  /** PUBACK, PUBCOMP or an in-process ack; {@code expected} guards against stale acks (or null). */
  public void settle(int packetId, InflightEntry expected) {
    executor.execute(() -> state().settle(packetId, expected));
  }

  /**
   * PUBREC: a failure reason code settles the message, success moves it to PUBREL [MQTT-4.3.3-4].
   */
  public void pubrec(int packetId, boolean failed) {
    executor.execute(() -> state().pubrec(packetId, failed));
  }

  /** An in-process nack: the message is queued again after {@code delay}. */
  public void nack(int packetId, InflightEntry expected, Duration delay) {
    executor.execute(() -> state().nack(packetId, expected, delay));
  }

  private void detachNow(Outbound out) {
    outbound = null;
    online = false;
    groups().values().forEach(g -> g.memberOffline(this));
    if (out.requeueOnDetach() && state != null) {
      state.requeueHeld(); // in-process: delivered again, shared ones to any member
    }
  }

  /** Ends the session; executor-confined (the expiry timer calls it too). */
  void endNow() {
    if (ended) {
      return;
    }
    ended = true;
    online = false;
    if (state != null) {
      state.end();
    }
    DurableSession d = durable;
    if (d != null) {
      d.delete(); // and the inbound QoS 2 ids
    }
    ctx.onEnd().accept(this);
  }

  @Override
  public String toString() {
    return "Session[" + key + "]";
  }
}
