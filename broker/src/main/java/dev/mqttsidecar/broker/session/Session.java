package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.Qos;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
  private final ArrayDeque<QueuedMessage> pending = new ArrayDeque<>();
  private final LinkedHashMap<Integer, InflightEntry> inflight = new LinkedHashMap<>();
  private final PacketIds packetIds = new PacketIds();
  private Outbound outbound;
  private boolean paused;
  private ScheduledFuture<?> expiryTimer;
  private long lastSequence;

  // Read from other threads.
  private final Map<String, SubscriptionOptions> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, GroupLink> groups = new ConcurrentHashMap<>();
  private final Set<Integer> inboundQos2 = ConcurrentHashMap.newKeySet();
  private volatile int window = 1;
  private volatile boolean online;
  private volatile boolean ended;
  private volatile Duration expiry = Duration.ZERO;

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
   * persistent session, once its durable copy is stored; fails if storing fails.
   */
  public CompletableFuture<Void> enqueue(QueuedMessage message) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor.execute(
        () -> {
          CompletableFuture<Void> stored = null;
          try {
            if (offer(message) && message.qos() != Qos.AT_MOST_ONCE && !expiry.isZero()) {
              message.setSequence(++lastSequence);
              stored = ctx.queues().append(key, lastSequence, message.delivered());
            }
            pump();
          } finally {
            if (stored == null) {
              done.complete(null);
            } else {
              stored.whenComplete(
                  (v, e) -> {
                    if (e == null) {
                      done.complete(null);
                    } else {
                      done.completeExceptionally(e);
                    }
                  });
            }
          }
        });
    return done;
  }

  /** Forgets the durable copy of a message that left the session. */
  private void forget(QueuedMessage m) {
    if (m.sequence() != 0) {
      ctx.queues().remove(key, m.sequence());
      m.setSequence(0);
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
          pending.addLast(message);
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
    onAttached.run();
    groups.values().forEach(g -> g.memberOnline(this));
    for (InflightEntry e : new ArrayList<>(inflight.values())) {
      if (e.pubrecReceived()) {
        out.pubrel(e.packetId()); // [MQTT-4.4.0-1]
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
              scheduleEndOrEnd();
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
          forget(e.message());
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
              outbound.pubrel(packetId); // unknown id: still answer so the client can finish
            }
            return;
          }
          if (failed) {
            settle(packetId, e);
            return;
          }
          e.markPubrecReceived();
          if (outbound != null) {
            outbound.pubrel(packetId);
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
            pending.addFirst(m);
          } else {
            later(delay, () -> executor.execute(() -> requeue(m)));
          }
          pump();
        });
  }

  private void requeue(QueuedMessage m) {
    if (!ended) {
      pending.addFirst(m);
      pump();
    }
  }

  private void later(Duration delay, Runnable task) {
    if (delay.isZero() || delay.isNegative()) {
      task.run();
    } else {
      ctx.scheduler().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  // ---- executor-confined internals ----

  /** Adds to the queue; false if the message was dropped. */
  private boolean offer(QueuedMessage m) {
    if (ended) {
      return false;
    }
    if (outbound == null && m.qos() == Qos.AT_MOST_ONCE) {
      ctx.counters().countQos0Dropped(); // QoS 0 is not queued for offline sessions [MQTT-3.1.2-5]
      return false;
    }
    if (pending.size() >= ctx.maxQueued()) {
      ctx.counters().countOverflow();
      if (ctx.overflow() == QueueOverflow.DROP_NEWEST) {
        return false;
      }
      QueuedMessage dropped = pending.pollFirst();
      if (dropped != null) {
        forget(dropped);
        if (dropped.group() != null) {
          dropped.group().release(this, 1);
        }
      }
    }
    pending.addLast(m);
    return true;
  }

  private void pump() {
    if (outbound == null || paused || ended) {
      return;
    }
    Instant now = ctx.clock().instant();
    while (!pending.isEmpty()) {
      QueuedMessage head = pending.peekFirst();
      if (head.delivered().isExpired(now)) {
        pending.pollFirst();
        forget(head);
        ctx.counters().countExpired();
        if (head.group() != null) {
          head.group().release(this, 1);
        }
        continue;
      }
      if (head.qos() == Qos.AT_MOST_ONCE) {
        pending.pollFirst();
        head.incrementDeliveryCount();
        outbound.publish(this, null, head, false);
        continue;
      }
      if (inflight.size() >= window) {
        return;
      }
      pending.pollFirst();
      InflightEntry e = new InflightEntry(packetIds.next(inflight), head);
      inflight.put(e.packetId(), e);
      head.incrementDeliveryCount();
      outbound.publish(this, e, head, false);
      if (outbound == null || paused) {
        return; // the outbound may detach or pause us from within publish
      }
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
      for (int i = back.size() - 1; i >= 0; i--) {
        pending.addFirst(back.get(i));
      }
      returnGroupMessages();
    }
  }

  private void scheduleEndOrEnd() {
    Duration d = expiry;
    if (d.isZero()) {
      endNow();
    } else {
      cancelExpiry();
      expiryTimer =
          ctx.scheduler()
              .schedule(
                  () ->
                      executor.execute(
                          () -> {
                            if (outbound == null) {
                              endNow();
                            }
                          }),
                  d.toMillis(),
                  TimeUnit.MILLISECONDS);
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
    for (InflightEntry e : inflight.values()) {
      pending.addLast(e.message());
    }
    inflight.clear();
    returnGroupMessages();
    pending.clear();
    inboundQos2.clear();
    if (lastSequence != 0) {
      ctx.queues().drop(key);
    }
    ctx.onEnd().accept(this);
  }

  private void returnGroupMessages() {
    Map<GroupLink, List<QueuedMessage>> byGroup = new LinkedHashMap<>();
    for (Iterator<QueuedMessage> it = pending.iterator(); it.hasNext(); ) {
      QueuedMessage m = it.next();
      if (m.group() != null) {
        it.remove();
        byGroup.computeIfAbsent(m.group(), g -> new ArrayList<>()).add(m);
      }
    }
    byGroup.forEach((g, list) -> g.giveBack(this, list));
  }

  @Override
  public String toString() {
    return "Session[" + key + "]";
  }
}
