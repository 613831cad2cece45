package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.PublishResult;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledgements of one connection in the order their packets arrived [MQTT-4.6.0-2],
 * [MQTT-4.6.0-3]: each waits for its own outcome and for every acknowledgement before it. Confined
 * to the connection's event loop; outcomes may complete on any thread.
 */
final class AckQueue {
  private static final Logger LOG = LoggerFactory.getLogger(AckQueue.class);

  private record Pending(CompletableFuture<PublishResult> outcome, Consumer<PublishResult> send) {}

  private static final CompletableFuture<PublishResult> NOW =
      CompletableFuture.completedFuture(PublishResult.accepted(0));

  private final EventLoop loop;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Runnable drainTask = this::drain;
  private boolean draining;

  AckQueue(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * Whether an outcome known now may be acknowledged at once, without going through {@link #add}:
   * nothing is queued before it.
   */
  boolean idle() {
    return pending.isEmpty() && !draining;
  }

  /** Sends {@code send} once every acknowledgement queued before it has gone. */
  void add(Runnable send) {
    add(NOW, r -> send.run());
  }

  /** Sends {@code send} with the outcome once it is known and every earlier one has gone. */
  void add(CompletableFuture<PublishResult> outcome, Consumer<PublishResult> send) {
    if (outcome.isDone() && idle()) {
      send.accept(resultOf(outcome)); // nothing to wait for: no allocation, no task
      return;
    }
    pending.add(new Pending(outcome, send));
    // Always, even when done already: an outcome completing on another thread between an
    // isDone() check and the registration would otherwise leave its acknowledgement (and every
    // one behind it) waiting for a wake that never comes.
    outcome.whenComplete((r, e) -> wake());
  }

  private void wake() {
    if (loop.inEventLoop()) {
      drain();
    } else {
      loop.execute(drainTask);
    }
  }

  private void drain() {
    if (draining) {
      return; // a send completed an outcome on this thread: the loop below picks it up
    }
    draining = true;
    try {
      for (Pending head = pending.peek();
          head != null && head.outcome().isDone();
          head = pending.peek()) {
        pending.poll();
        try {
          head.send().accept(resultOf(head.outcome()));
        } catch (RuntimeException e) {
          LOG.debug("acknowledgement failed", e); // the ones behind it still go
        }
      }
    } finally {
      draining = false;
    }
  }

  /** A storage failure is reported, never acknowledged as accepted. */
  static PublishResult resultOf(CompletableFuture<PublishResult> outcome) {
    try {
      return outcome.join();
    } catch (RuntimeException e) {
      return PublishResult.rejected(PublishResult.Status.STORAGE_FAILED, e.toString());
    }
  }
}
