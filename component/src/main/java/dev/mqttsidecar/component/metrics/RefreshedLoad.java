package dev.mqttsidecar.component.metrics;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A CPU load read from the JDK at most once per refresh interval. The JDK reports the load since
 * its previous reading, so a longer interval only widens the window the value covers.
 */
final class RefreshedLoad {
  private final DoubleSupplier source;
  private final LongSupplier nanoTime;
  private final long refreshNanos;
  private double value = Double.NaN;
  private long readAt;

  RefreshedLoad(DoubleSupplier source, LongSupplier nanoTime, Duration refresh) {
    this.source = source;
    this.nanoTime = nanoTime;
    this.refreshNanos = refresh.toNanos();
  }

  /** The last reading, read afresh when it is older than the interval or unknown (NaN). */
  synchronized double value() {
    long now = nanoTime.getAsLong();
    if (Double.isNaN(value) || now - readAt >= refreshNanos) {
      double load = source.getAsDouble();
      value = load < 0 ? Double.NaN : load; // the JDK answers a negative load when it cannot tell
      readAt = now;
    }
    return value;
  }
}
