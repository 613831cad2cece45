package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What a session has once it gets a message or outlives a connection: its queue, its in-flight
 * window, the delivery between them and its expiry timer. {@link Session} makes it on first need,
 * so a session that only sits connected, as most do, carries none of it. Confined to the session's
 * executor.
 */
final class SessionState {
  private final Session owner;
  private final SessionContext ctx;
  private final SessionQueue queue;
  private final InflightWindow inflight;
  private final SessionDelivery delivery;
  private final Replays replays;
  private SessionExpiry expiry; // made at the first disconnect or restore

  SessionState(Session owner, SessionContext ctx, DurableSession durable, int window) {
    this.owner = owner;
    this.ctx = ctx;
    this.queue = new SessionQueue(owner, ctx);
    this.inflight =
        new InflightWindow(
            owner, queue, durable, ctx, owner.executor(), owner::outbound, this::pump);
    this.inflight.limit(window);
    this.replays = new Replays(owner, ctx.counters(), ctx.maxQueued());
    this.delivery = new SessionDelivery(owner, queue, inflight, ctx, owner::outbound, replays);
  }

  /** See {@link Session#enqueue}. */
  void enqueue(QueuedMessage message, boolean persistent, CompletableFuture<Boolean> done) {
    delivery.enqueue(message, persistent, done);
  }

  /** See {@link Session#replay}; nothing once the session has {@code ended}. */
  void startReplay(String key, Backlog backlog, long restartMark, boolean held, boolean ended) {
    if (!ended) {
      replays.start(key, backlog, restartMark, held);
      pump();
    }
  }

  void releaseReplays(List<String> keys) {
    keys.forEach(replays::release);
    pump();
  }

  /** The restart marks of replays not done yet, by key (see {@link Replays#restartMarks}). */
  Map<String, Long> replayMarks() {
    return replays.restartMarks();
  }

  /** See {@link Session#stopReplay}. */
  void stopReplay(String key) {
    replays.stop(key, "unsubscribed");
  }

  /** A shared group's message for this (attached) member: no bound, the group sized it. */
  void offerFromGroup(QueuedMessage message) {
    queue.addLast(message);
    pump();
  }

  /** A connection attached: no expiry while online; the window is the receiver's. */
  void attached(int windowSize) {
    if (expiry != null) {
      expiry.attached();
    }
    inflight.limit(windowSize);
    delivery.unpause();
    replays.releaseAll(); // held for a SUBACK that an earlier connection never got to send
  }

  /**
   * After the attach is announced: what was in flight goes again [MQTT-4.4.0-1], then the queue.
   */
  void resend() {
    inflight.resend();
    pump();
  }

  /** The connection went away now: the expiry interval counts from here. */
  void detached() {
    expiryTimer().detached();
  }

  /** Arms the expiry timer for the whole interval (or ends the session at once). */
  void armExpiry() {
    expiryTimer().arm();
  }

  /** When the session went offline; null while attached or never detached. */
  Instant disconnectedAt() {
    return expiry == null ? null : expiry.disconnectedAt();
  }

  /** An in-process subscriber left: what it held goes back, shared messages to any member. */
  void requeueHeld() {
    queue.addFirst(inflight.takeAll());
    queue.returnGroupMessages();
  }

  /** The session ended: nothing more is sent, shared messages go back, the queue is dropped. */
  void end() {
    replays.stopAll();
    if (expiry != null) {
      expiry.cancel();
    }
    queue.addFirst(inflight.takeAll());
    queue.close();
  }

  void pause() {
    delivery.pause();
  }

  void resume() {
    delivery.unpause();
    pump();
  }

  /** Sends what waits, while the outbound is attached and has room. */
  void pump() {
    delivery.pump();
  }

  int queuedCount() {
    return queue.size();
  }

  int inflightCount() {
    return inflight.size();
  }

  void settle(int packetId, InflightEntry expected) {
    inflight.settle(packetId, expected);
  }

  void pubrec(int packetId, boolean failed) {
    inflight.pubrec(packetId, failed);
  }

  void nack(int packetId, InflightEntry expected, Duration delay) {
    inflight.nack(packetId, expected, delay);
  }

  /**
   * Puts back what the store held for the session (see {@link Session#restore}); returns the time
   * its expiry counts to, for {@link #armExpiryAt}.
   */
  Instant restore(
      Instant storedDisconnectedAt,
      List<StoredQueueEntry> queued,
      List<StoredInflight> inflightAtPubrel,
      Function<String, int[]> subscriptionIds) {
    Instant now = expiryTimer().restored(storedDisconnectedAt);
    queue.restore(
        inflight.restore(queued, inflightAtPubrel, subscriptionIds), queued, subscriptionIds);
    return now;
  }

  /** Arms the expiry timer for what is left of the interval at {@code now}, or ends the session. */
  void armExpiryAt(Instant now) {
    expiryTimer().armAt(now);
  }

  /** The expiry timer with the interval in force now. */
  private SessionExpiry expiryTimer() {
    if (expiry == null) {
      expiry =
          new SessionExpiry(
              ctx.clock(),
              ctx.scheduler(),
              owner.executor(),
              () -> owner.outbound() == null,
              owner::endNow);
    }
    expiry.interval(owner.expiry());
    return expiry;
  }
}
