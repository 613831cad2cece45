package dev.mqttsidecar.bench.soak;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polling with a deadline. */
final class Deadlines {
  private static final long POLL_MILLIS = 100;

  private Deadlines() {}

  /** Waits until {@code condition} holds or {@code deadlineNanos} (System.nanoTime) passes. */
  static boolean awaitTrue(BooleanSupplier condition, long deadlineNanos)
      throws InterruptedException {
    while (!condition.getAsBoolean()) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
    }
    return true;
  }
}
