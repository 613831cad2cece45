package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Qos;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Moves a session's messages from its queue to its outbound: QoS 0 at once, QoS 1/2 through the
 * in-flight window while it has room, none while paused. Backlogs ({@link Replays}) add a batch
 * only once the queue is empty and the outbound has room, so they never overflow the queue nor hold
 * more than a batch in it, and live messages wait behind one batch at most. Confined to the
 * session's executor.
 */
final class SessionDelivery {
  /** Backlog batches per pump before other tasks (acks, live messages) get their turn. */
  private static final int BATCHES_PER_TURN = 8;

  private final Session owner;
  private final SessionQueue queue;
  private final InflightWindow inflight;
  private final Clock clock;
  private final Supplier<Outbound> outbound;
  private final Replays replays;
  private boolean paused;

  SessionDelivery(
      Session owner,
      SessionQueue queue,
      InflightWindow inflight,
      SessionContext ctx,
      Supplier<Outbound> outbound,
      Replays replays) {
    this.owner = owner;
    this.replays = replays;
    this.queue = queue;
    this.inflight = inflight;
    this.clock = ctx.clock();
    this.outbound = outbound;
  }

  /**
   * Queues {@code message} (storing its durable copy when {@code persistent}) and sends what it
   * can; completes {@code done} as {@link Session#enqueue} describes.
   */
  void enqueue(QueuedMessage message, boolean persistent, CompletableFuture<Boolean> done) {
    DurableQueue.Admission admission = DurableQueue.Admission.NOT_STORED;
    try {
      // QoS 0 is not queued for offline sessions [MQTT-3.1.2-5]
      if (!owner.isEnded()
          && (message.qos() != Qos.AT_MOST_ONCE || queue.takesQos0(outbound.get() != null))) {
        admission = queue.admit(message, persistent);
      }
      pump();
    } finally {
      admission.acknowledge(done);
    }
  }

  void pause() {
    paused = true;
  }

  /** Sending may go on; {@link #pump} sends. */
  void unpause() {
    paused = false;
  }

  /**
   * Sends queued messages while the outbound is attached, not paused and the window has room; then
   * backlog batches while the queue empties and the outbound has room.
   */
  void pump() {
    if (!sending()) {
      return;
    }
    drain();
    for (int batches = 0;
        queue.size() == 0 && replays.hasReady() && sending() && outbound.get().hasRoom();
        batches++) {
      if (batches == BATCHES_PER_TURN) {
        owner.executor().execute(this::pump);
        return;
      }
      boolean persistent = !owner.expiry().isZero();
      replays.nextBatch(
          m -> {
            m.waitForRoom();
            queue.admit(m, persistent);
          });
      drain();
    }
  }

  private boolean sending() {
    return outbound.get() != null && !paused && !owner.isEnded();
  }

  private void drain() {
    Instant now = clock.instant();
    for (QueuedMessage head = queue.peekUnexpired(now);
        head != null;
        head = queue.peekUnexpired(now)) {
      if (head.qos() == Qos.AT_MOST_ONCE) {
        if (head.waitsForRoom() && !outbound.get().hasRoom()) {
          return; // a full connection drops live QoS 0 [MQTT-4.3.1], not a replay's
        }
        queue.poll();
        head.incrementDeliveryCount();
        outbound.get().publish(owner, null, head, false);
        continue;
      }
      if (inflight.full() || !outbound.get().hasRoom()) {
        return;
      }
      queue.poll();
      inflight.send(head);
      if (!sending()) {
        return; // the outbound may detach or pause us from within publish
      }
    }
  }
}
