package dev.mqttsidecar.bench.dapr;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A rate measured over a window that starts after a warm-up: counts per second. */
final class RateWindow {
  private RateWindow() {}

  static double measure(LongSupplier count, Duration warmup, Duration window)
      throws InterruptedException {
    Thread.sleep(warmup.toMillis());
    long before = count.getAsLong();
    long start = System.nanoTime();
    Thread.sleep(window.toMillis());
    long after = count.getAsLong();
    return (after - before) * 1e9 / (System.nanoTime() - start);
  }
}
