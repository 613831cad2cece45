package dev.mqttsidecar.broker.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * A warning that clients can cause at any rate (a refusal at a configured limit), written at most
 * once per interval: the first occurrence at once, later ones folded into a count that the next
 * line reports. A client that retries in a loop cannot flood the log, and the operator still learns
 * that, and how often, the limit is hit.
 */
public final class ThrottledLog {
  /**
   * Marks these lines: a client refused at a limit, as configured, not a fault of the broker. Log
   * filters (and tests that watch for faults) can tell them apart.
   */
  public static final Marker REFUSAL = MarkerFactory.getMarker("REFUSAL");

  /** The interval the broker's refusals are reported at. */
  public static final Duration REFUSALS = Duration.ofMinutes(1);

  private static final int SHOWN_CHARS = 100;

  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAt;
  private final AtomicLong suppressed = new AtomicLong();

  public ThrottledLog(Logger logger, Duration interval) {
    this(logger, interval, System::nanoTime);
  }

  /**
   * @param nanoTime a monotonic clock in nanoseconds
   */
  public ThrottledLog(Logger logger, Duration interval, LongSupplier nanoTime) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.nextAt = new AtomicLong(nanoTime.getAsLong());
  }

  /**
   * {@code text} (a topic, a client id) cut to a length a log line can hold: a topic may be 65,535
   * bytes long.
   */
  public static String shown(String text) {
    return text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "...";
  }

  /**
   * Writes {@code message} as a warning unless one was written less than the interval ago; then
   * only counts it.
   */
  public void warn(String message) {
    long now = nanoTime.getAsLong();
    long next = nextAt.get();
    if (now - next < 0 || !nextAt.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long more = suppressed.getAndSet(0);
    if (more == 0) {
      logger.warn(REFUSAL, message);
    } else {
      logger.warn(REFUSAL, "{} ({} more like it since the last report)", message, more);
    }
  }
}
