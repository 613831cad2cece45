package dev.mqttsidecar.component.dataflow;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends one dataflow's messages to its destination in the order the flow took them. A QoS 1 message
 * the destination cannot take now (its queue full, the embedded store unavailable) is neither
 * dropped nor settled: it is held, every later message is held behind it, and they are tried again,
 * oldest first, with a capped exponential pause. What is held stays unsettled with the source, so
 * the source stops handing out more once its in-flight window is used up and the rest waits in its
 * durable session queue.
 */
final class OrderedSender {
  static final Duration FIRST_RETRY = Duration.ofMillis(100);
  static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private record Held(long sequence, FlowMessage message, CompletableFuture<Void> done) {}

  private final Destination destination;
  private final ScheduledExecutorService scheduler;
  private final PriorityQueue<Held> held =
      new PriorityQueue<>(Comparator.comparingLong(Held::sequence));
  private long nextSequence;
  private boolean retrying;

  OrderedSender(Destination destination, ScheduledExecutorService scheduler) {
    this.destination = destination;
    this.scheduler = scheduler;
  }

  /**
   * Completes once the destination accepted {@code message}; exceptionally with {@link
   * Destination.Refused} (for good), with {@link CancellationException} (closing), or, for QoS 0
   * only, with whatever kept the destination from taking it.
   */
  CompletableFuture<Void> send(FlowMessage message) {
    Held next;
    boolean now;
    synchronized (this) {
      next = new Held(nextSequence++, message, new CompletableFuture<>());
      now = !retrying;
      if (!now) {
        held.add(next); // behind the one being retried
      }
    }
    if (now) {
      attempt(next, FIRST_RETRY, false);
    }
    return next.done();
  }

  /** The number of messages held behind a retry. */
  synchronized int held() {
    return held.size();
  }

  private void attempt(Held message, Duration pause, boolean fromRetry) {
    CompletableFuture<Void> sent;
    try {
      sent = destination.send(message.message());
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, error) -> settled(message, unwrap(error), pause, fromRetry));
  }

  private void settled(Held message, Throwable cause, Duration pause, boolean fromRetry) {
    boolean final_ =
        cause == null
            || cause instanceof Destination.Refused
            || cause instanceof CancellationException
            || message.message().qos() == 0;
    if (final_) {
      if (cause == null) {
        message.done().complete(null);
      } else {
        message.done().completeExceptionally(cause);
      }
      if (fromRetry) {
        next(FIRST_RETRY); // the one in front went through: the next held one goes at once
      }
      return;
    }
    boolean startRetrying;
    synchronized (this) {
      held.add(message);
      startRetrying = !retrying;
      retrying = true;
    }
    if (fromRetry || startRetrying) {
      schedule(fromRetry ? pause : FIRST_RETRY);
    }
  }

  private void schedule(Duration pause) {
    Duration after =
        pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
    try {
      scheduler.schedule(() -> next(after), pause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // Closing: what is held stays unsettled, so the source delivers it again after a restart.
    }
  }

  /** Tries the oldest held message; with none left, later messages go straight out again. */
  private void next(Duration pause) {
    Held oldest;
    synchronized (this) {
      oldest = held.poll();
      if (oldest == null) {
        retrying = false;
        return;
      }
    }
    attempt(oldest, pause, true);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException ? error.getCause() : error;
  }
}
