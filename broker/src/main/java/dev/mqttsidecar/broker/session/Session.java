package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.concurrent.SerialExecutor;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One session: an MQTT client's or an in-process subscriber's. Holds the queue of messages not yet
 * sent, the in-flight window of QoS 1/2 messages not yet settled, and its subscriptions. All state
 * changes happen on the session's {@link SerialExecutor}; public methods only submit tasks.
 */
public final class Session {
  private final String key;
  private final String clientId;
  private final SessionContext ctx;
  private final SerialExecutor executor;

  // Executor-confined.
  private final SessionQueue queue;
  private final LinkedHashMap<Integer, InflightEntry> inflight = new LinkedHashMap<>();
  private final PacketIds packetIds = new PacketIds();
  private Outbound outbound;
  private boolean paused;
  private ScheduledFuture<?> expiryTimer;
  private Instant disconnectedAt; // null while attached

  // Read from other threads.
  private final Map<String, SubscriptionOptions> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, GroupLink> groups = new ConcurrentHashMap<>();
  private final Set<Integer> inboundQos2 = ConcurrentHashMap.newKeySet();
  private volatile int window = 1;
  private volatile boolean online;
  private volatile boolean ended;
  private volatile Duration expiry = Duration.ZERO;
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
    return window;
  }

  public Duration expiry() {
    return expiry;
  }

  public void setExpiry(Duration value) {
    this.expiry = value;
  }

  /**
   * Queues a message for delivery. Completes once it is queued (or dropped and counted) and, for a
   * persistent session, once its durable copy is stored; fails if storing fails. Completes with
   * true if the session's full queue dropped the message.
   */
  public CompletableFuture<Boolean> enqueue(QueuedMessage message) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    executor.execute(
        () -> {
          CompletableFuture<Void> stored = null;
          Offered offered = Offered.SKIPPED;
          try {
            offered = offer(message);
            if (offered == Offered.QUEUED
                && message.qos() != Qos.AT_MOST_ONCE
                && !expiry.isZero()) {
              stored = queue.store(message);
              if (queue.backlogged()) { // a session keeping up pays no extra task per message
                stored.thenRun(() -> executor.execute(() -> queue.spillIfWaiting(message)));
              }
            }
            pump();
          } finally {
            boolean result = offered == Offered.OVERFLOWED;
            if (stored == null) {
              done.complete(result);
            } else {
              stored.whenComplete(
                  (v, e) -> {
                    if (e == null) {
                      done.complete(result);
                    } else {
                      done.completeExceptionally(e);
                    }
                  });
            }
          }
        });
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
    return durable.rememberInboundQos2(expiry, packetId);
  }

  /** PUBREL received: the packet id may be used again. */
  public void releaseInboundQos2(int packetId) {
    durable.releaseInboundQos2(expiry, packetId);
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
          Instant now = ctx.clock().instant();
          durable.restored();
          disconnectedAt = storedDisconnectedAt == null ? now : storedDisconnectedAt;
          queue.restore(
              durable.restoreInflight(queued, inflightAtPubrel, inflight, subscriptionIds),
              queued,
              subscriptionIds);
          saveRecord();
          scheduleEndOrEnd(expiry.minus(Duration.between(disconnectedAt, now)));
        });
  }

  /** Stores this session's record if it outlives its connection; executor-confined. */
  private void saveRecord() {
    if (!ended) {
      durable.save(expiry, disconnectedAt, subscriptions);
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
    cancelExpiry();
    outbound = out;
    window = Math.max(1, windowSize);
    paused = false;
    online = true;
    disconnectedAt = null;
    saveRecord();
    onAttached.run();
    groups.values().forEach(g -> g.memberOnline(this));
    for (InflightEntry e : new ArrayList<>(inflight.values())) {
      if (e.awaitingRecord()) {
        continue; // never sent: goes out once its packet id is stored
      }
      if (!e.pubrecReceived() && !e.message().load(ctx.queues())) {
        inflight.remove(e.packetId()); // its stored copy is gone: nothing left to resend
        durable.settled(e);
        continue;
      }
      if (e.pubrecReceived()) {
        out.pubrel(e.packetId(), true); // [MQTT-4.4.0-1]
      } else {
        e.message().incrementDeliveryCount();
        out.publish(this, e, e.message(), true); // [MQTT-3.3.1-1]
      }
    }
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
              // Expiry counts from here, in wall-clock time, across restarts too.
              disconnectedAt = ctx.clock().instant();
              saveRecord();
              scheduleEndOrEnd(expiry);
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
    executor.execute(() -> paused = true);
  }

  public void resume() {
    executor.execute(
        () -> {
          paused = false;
          pump();
        });
  }

  /**
   * PUBACK, PUBCOMP or an in-process ack. {@code expected} guards against stale acks (may be null).
   */
  public void settle(int packetId, InflightEntry expected) {
    executor.execute(
        () -> {
          InflightEntry e = inflight.get(packetId);
          if (e == null || (expected != null && e != expected)) {
            return;
          }
          inflight.remove(packetId);
          durable.settled(e);
          queue.forget(e.message());
          if (e.message().group() != null) {
            e.message().group().release(this, 1);
          }
          pump();
        });
  }

  /**
   * PUBREC: a failure reason code settles the message; success moves it to PUBREL [MQTT-4.3.3-4].
   */
  public void pubrec(int packetId, boolean failed) {
    executor.execute(
        () -> {
          InflightEntry e = inflight.get(packetId);
          if (e == null || e.message().qos() != Qos.EXACTLY_ONCE) {
            if (outbound != null && !failed) {
              outbound.pubrel(packetId, false); // still answer so the client can finish
            }
            return;
          }
          if (failed) {
            settle(packetId, e);
            return;
          }
          e.markPubrecReceived();
          durable.pubrecReceived(e);
          if (outbound != null) {
            outbound.pubrel(packetId, true);
          }
        });
  }

  /** An in-process nack: the message is queued again after {@code delay}. */
  public void nack(int packetId, InflightEntry expected, Duration delay) {
    executor.execute(
        () -> {
          InflightEntry e = inflight.get(packetId);
          if (e == null || e != expected) {
            return;
          }
          inflight.remove(packetId);
          QueuedMessage m = e.message();
          boolean now = delay.isZero() || delay.isNegative();
          if (m.group() != null) {
            if (now) {
              m.group().giveBack(this, List.of(m));
            } else {
              m.group().release(this, 1);
              later(delay, () -> m.group().requeueFront(List.of(m)));
            }
          } else if (now) {
            queue.addFirst(List.of(m));
          } else {
            later(delay, () -> executor.execute(() -> requeue(m)));
          }
          pump();
        });
  }

  private void requeue(QueuedMessage m) {
    if (!ended) {
      queue.addFirst(List.of(m));
      pump();
    }
  }

  private void later(Duration delay, Runnable task) {
    if (delay.isZero() || delay.isNegative()) {
      task.run();
    } else {
      schedule(task, delay);
    }
  }

  /**
   * Runs {@code task} on the timer thread after {@code delay}; null once the broker has stopped,
   * when no timer is needed: expiry counts in wall-clock time from the stored record.
   */
  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    try {
      return ctx.scheduler().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  // ---- executor-confined internals ----

  /** Adds to the queue; false if the message was dropped. */
  private enum Offered {
    QUEUED,
    SKIPPED,
    OVERFLOWED
  }

  private Offered offer(QueuedMessage m) {
    if (ended) {
      return Offered.SKIPPED;
    }
    if (outbound == null && m.qos() == Qos.AT_MOST_ONCE) {
      ctx.counters().countQos0Dropped(); // QoS 0 is not queued for offline sessions [MQTT-3.1.2-5]
      return Offered.SKIPPED;
    }
    return queue.offer(m) ? Offered.QUEUED : Offered.OVERFLOWED;
  }

  private void pump() {
    if (outbound == null || paused || ended) {
      return;
    }
    Instant now = ctx.clock().instant();
    for (QueuedMessage head = queue.peekUnexpired(now);
        head != null;
        head = queue.peekUnexpired(now)) {
      if (head.qos() == Qos.AT_MOST_ONCE) {
        queue.poll();
        head.incrementDeliveryCount();
        outbound.publish(this, null, head, false);
        continue;
      }
      if (inflight.size() >= window) {
        return;
      }
      queue.poll();
      InflightEntry e = new InflightEntry(packetIds.next(inflight), head);
      inflight.put(e.packetId(), e);
      CompletableFuture<Void> recorded =
          head.qos() == Qos.EXACTLY_ONCE && !outbound.requeueOnDetach()
              ? durable.sendingQos2(e)
              : null;
      if (recorded != null && !recorded.isDone()) {
        e.awaitRecord(true);
        recorded.whenComplete((v, failure) -> executor.execute(() -> sendRecorded(e)));
        continue; // holds its window slot until sent
      }
      head.incrementDeliveryCount();
      outbound.publish(this, e, head, false);
      if (outbound == null || paused) {
        return; // the outbound may detach or pause us from within publish
      }
    }
  }

  /**
   * A held QoS 2 message's packet id is stored (or storing failed: then a restart may deliver it
   * twice, which is still better than not delivering it): it goes out now, or at the next attach.
   */
  private void sendRecorded(InflightEntry e) {
    e.awaitRecord(false);
    if (inflight.get(e.packetId()) == e && outbound != null) {
      e.message().incrementDeliveryCount();
      outbound.publish(this, e, e.message(), false);
    }
  }

  private void detachNow(Outbound out) {
    outbound = null;
    online = false;
    groups.values().forEach(g -> g.memberOffline(this));
    if (out.requeueOnDetach()) {
      // In-process: unsettled messages are delivered again, shared ones to any member.
      List<QueuedMessage> back = new ArrayList<>();
      for (InflightEntry e : inflight.values()) {
        back.add(e.message());
      }
      inflight.clear();
      queue.addFirst(back);
      queue.returnGroupMessages();
    }
  }

  private void scheduleEndOrEnd(Duration d) {
    if (d.isZero() || d.isNegative()) {
      endNow();
    } else {
      cancelExpiry();
      expiryTimer =
          schedule(
              () ->
                  executor.execute(
                      () -> {
                        if (outbound == null) {
                          endNow();
                        }
                      }),
              d);
    }
  }

  private void cancelExpiry() {
    if (expiryTimer != null) {
      expiryTimer.cancel(false);
      expiryTimer = null;
    }
  }

  private void endNow() {
    if (ended) {
      return;
    }
    ended = true;
    online = false;
    cancelExpiry();
    List<QueuedMessage> unsettled = new ArrayList<>();
    for (InflightEntry e : inflight.values()) {
      unsettled.add(e.message());
    }
    inflight.clear();
    queue.addFirst(unsettled);
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
