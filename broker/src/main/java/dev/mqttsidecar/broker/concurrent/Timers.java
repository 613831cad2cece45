package dev.mqttsidecar.broker.concurrent;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Timers that may be asked for while the broker stops. */
public final class Timers {
  private Timers() {}

  /**
   * Runs {@code task} on {@code scheduler} after {@code delay}; null when the scheduler has already
   * stopped (the broker is going down, so the timer is not needed).
   */
  public static ScheduledFuture<?> after(
      ScheduledExecutorService scheduler, Duration delay, Runnable task) {
    try {
      return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }
}
