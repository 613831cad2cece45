package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.concurrent.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

/**
 * When a session that is offline ends (MQTT 5.0 section 3.1.2.11.2): its expiry interval counts in
 * wall-clock time from the disconnect, across restarts too; a timer ends it unless it reconnects
 * first. The interval may change while connected (a 5.0 DISCONNECT may set it, section 3.14.2.2.2);
 * the one in force at the disconnect counts. State changes happen on the session's executor; the
 * interval is read from any thread.
 */
final class SessionExpiry {
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Executor executor;
  private final BooleanSupplier offline;
  private final Runnable end;
  private volatile Duration interval = Duration.ZERO;
  private Instant disconnectedAt; // null while attached
  private ScheduledFuture<?> timer;

  /**
   * @param executor the session's executor, where the timer's check runs
   * @param offline whether the session is still detached when its timer fires
   * @param end ends the session (on its executor)
   */
  SessionExpiry(
      Clock clock,
      ScheduledExecutorService scheduler,
      Executor executor,
      BooleanSupplier offline,
      Runnable end) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.executor = executor;
    this.offline = offline;
    this.end = end;
  }

  Duration interval() {
    return interval;
  }

  /** Set by CONNECT, or by a 5.0 DISCONNECT before the connection closes. */
  void interval(Duration value) {
    interval = value;
  }

  /** When the session went offline; null while attached. */
  Instant disconnectedAt() {
    return disconnectedAt;
  }

  /** A connection attached: no timer runs while the session is online. */
  void attached() {
    cancel();
    disconnectedAt = null;
  }

  /** The connection went away now: the interval counts from here. */
  void detached() {
    disconnectedAt = clock.instant();
  }

  /**
   * Read back from the store: offline since {@code storedDisconnectedAt}, or, for a session that
   * was connected when the broker stopped, since now. Returns now, for {@link #armAt}.
   */
  Instant restored(Instant storedDisconnectedAt) {
    Instant now = clock.instant();
    disconnectedAt = storedDisconnectedAt == null ? now : storedDisconnectedAt;
    return now;
  }

  /** Arms the timer for the whole interval (just detached), or ends the session if it is zero. */
  void arm() {
    armOrEnd(interval);
  }

  /** Arms the timer for what is left of the interval at {@code now}, or ends the session. */
  void armAt(Instant now) {
    armOrEnd(interval.minus(Duration.between(disconnectedAt, now)));
  }

  private void armOrEnd(Duration left) {
    if (left.isZero() || left.isNegative()) {
      end.run();
      return;
    }
    cancel();
    // Null once the broker has stopped: expiry then counts from the stored record.
    timer =
        Timers.after(
            scheduler,
            left,
            () ->
                executor.execute(
                    () -> {
                      if (offline.getAsBoolean()) { // a reconnect in the meantime keeps it
                        end.run();
                      }
                    }));
  }

  /** Stops the timer, if one runs. */
  void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
