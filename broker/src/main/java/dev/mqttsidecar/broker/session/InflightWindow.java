package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.concurrent.Timers;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A session's QoS 1/2 messages sent and not yet settled, by packet id: allocates the ids, bounds
 * how many are unsettled (the receive maximum), settles them on PUBACK/PUBCOMP or an in-process
 * ack, moves QoS 2 ones to PUBREL, puts nacked ones back and resends them on reconnect. Confined to
 * the session's executor, like the session; keeps the stored in-flight entries in step through
 * {@link DurableSession}.
 */
final class InflightWindow {
  private final Session owner;
  private final SessionQueue queue;
  private final DurableSession durable;
  private final QueuePersistence queues;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final Supplier<Outbound> outbound;
  private final Runnable pump;
  private final LinkedHashMap<Integer, InflightEntry> entries = new LinkedHashMap<>();
  private final PacketIds packetIds = new PacketIds();
  private volatile int limit = 1; // read by shared groups from any thread

  /**
   * @param outbound where messages go now (null while detached)
   * @param pump sends what the session's queue holds; called after a slot frees up
   */
  InflightWindow(
      Session owner,
      SessionQueue queue,
      DurableSession durable,
      SessionContext ctx,
      Executor executor,
      Supplier<Outbound> outbound,
      Runnable pump) {
    this.owner = owner;
    this.queue = queue;
    this.durable = durable;
    this.queues = ctx.queues();
    this.scheduler = ctx.scheduler();
    this.executor = executor;
    this.outbound = outbound;
    this.pump = pump;
  }

  /** How many QoS 1/2 messages may be unsettled at once. */
  int limit() {
    return limit;
  }

  /** The receiver's receive maximum (at least 1) [MQTT-3.3.4-9]. */
  void limit(int value) {
    limit = Math.max(1, value);
  }

  boolean full() {
    return entries.size() >= limit;
  }

  int size() {
    return entries.size();
  }

  /**
   * Takes {@code m} into the window under a free packet id and sends it. A QoS 2 message stored in
   * this session waits until its packet id is stored too (holding its slot), so that a restart
   * resends it under the same id [MQTT-4.4.0-1].
   */
  void send(QueuedMessage m) {
    Outbound out = outbound.get();
    InflightEntry e = new InflightEntry(packetIds.next(entries), m);
    entries.put(e.packetId(), e);
    CompletableFuture<Void> recorded =
        m.qos() == Qos.EXACTLY_ONCE && !out.requeueOnDetach() ? durable.sendingQos2(e) : null;
    if (recorded != null && !recorded.isDone()) {
      e.awaitRecord(true);
      recorded.whenComplete((v, failure) -> executor.execute(() -> sendRecorded(e)));
      return;
    }
    m.incrementDeliveryCount();
    out.publish(owner, e, m, false);
  }

  /**
   * A held QoS 2 message's packet id is stored (or storing failed: then a restart may deliver it
   * twice, which is still better than not delivering it): it goes out now, or at the next attach.
   */
  private void sendRecorded(InflightEntry e) {
    e.awaitRecord(false);
    Outbound out = outbound.get();
    if (entries.get(e.packetId()) == e && out != null) {
      e.message().incrementDeliveryCount();
      out.publish(owner, e, e.message(), false);
    }
  }

  /**
   * A new outbound is attached: everything unsettled goes to it again, QoS 2 messages past PUBREC
   * as PUBREL, the rest as PUBLISH with DUP set [MQTT-4.4.0-1]. One whose stored copy is gone is
   * dropped, as nothing is left to resend.
   */
  void resend() {
    Outbound out = outbound.get();
    for (InflightEntry e : new ArrayList<>(entries.values())) {
      if (e.awaitingRecord()) {
        continue; // never sent: goes out once its packet id is stored
      }
      if (!e.pubrecReceived() && !e.message().load(queues)) {
        entries.remove(e.packetId());
        durable.settled(e);
        continue;
      }
      if (e.pubrecReceived()) {
        out.pubrel(e.packetId(), true); // [MQTT-4.4.0-1]
      } else {
        e.message().incrementDeliveryCount();
        out.publish(owner, e, e.message(), true); // [MQTT-3.3.1-1]
      }
    }
  }

  /**
   * PUBACK, PUBCOMP or an in-process ack: the message leaves for good and its slot frees up. {@code
   * expected} guards against stale acks (may be null).
   */
  void settle(int packetId, InflightEntry expected) {
    InflightEntry e = entries.get(packetId);
    if (e == null || (expected != null && e != expected)) {
      return;
    }
    entries.remove(packetId);
    durable.settled(e);
    queue.forget(e.message());
    if (e.message().group() != null) {
      e.message().group().release(owner, 1);
    }
    pump.run();
  }

  /**
   * PUBREC: a failure reason code settles the message (in a task of its own, as any settle);
   * success moves it to PUBREL [MQTT-4.3.3-4]. A PUBREC for nothing in flight is still answered so
   * the client can finish (5.0: reason 0x92).
   */
  void pubrec(int packetId, boolean failed) {
    InflightEntry e = entries.get(packetId);
    Outbound out = outbound.get();
    if (e == null || e.message().qos() != Qos.EXACTLY_ONCE) {
      if (out != null && !failed) {
        out.pubrel(packetId, false);
      }
      return;
    }
    if (failed) {
      executor.execute(() -> settle(packetId, e));
      return;
    }
    e.markPubrecReceived();
    durable.pubrecReceived(e);
    if (out != null) {
      out.pubrel(packetId, true);
    }
  }

  /**
   * An in-process nack: the message leaves the window and is queued again after {@code delay}, a
   * shared group's in the group's queue for any member.
   */
  void nack(int packetId, InflightEntry expected, Duration delay) {
    InflightEntry e = entries.get(packetId);
    if (e == null || e != expected) {
      return;
    }
    entries.remove(packetId);
    QueuedMessage m = e.message();
    boolean now = delay.isZero() || delay.isNegative();
    if (m.group() != null) {
      if (now) {
        m.group().giveBack(owner, List.of(m));
      } else {
        m.group().release(owner, 1);
        Timers.after(scheduler, delay, () -> m.group().requeueFront(List.of(m)));
      }
    } else if (now) {
      queue.addFirst(List.of(m));
    } else {
      Timers.after(scheduler, delay, () -> executor.execute(() -> requeue(m)));
    }
    pump.run();
  }

  private void requeue(QueuedMessage m) {
    if (!owner.isEnded()) {
      queue.addFirst(List.of(m));
      pump.run();
    }
  }

  /** Empties the window; returns its messages in the order they were sent. */
  List<QueuedMessage> takeAll() {
    List<QueuedMessage> all = new ArrayList<>(entries.size());
    for (InflightEntry e : entries.values()) {
      all.add(e.message());
    }
    entries.clear();
    return all;
  }

  /**
   * Puts the stored messages that had a packet id back in flight under their ids (see {@link
   * DurableSession#restoreInflight}); returns the other stored messages, which go back to the
   * queue.
   */
  List<StoredQueueEntry> restore(
      List<StoredQueueEntry> queued,
      List<StoredInflight> stored,
      Function<String, int[]> subscriptionIds) {
    return durable.restoreInflight(queued, stored, entries, subscriptionIds);
  }
}
