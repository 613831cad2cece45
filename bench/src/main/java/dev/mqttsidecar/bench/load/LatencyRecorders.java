package dev.mqttsidecar.bench.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * One latency histogram per event-loop thread, so recording needs no synchronization and thousands
 * of subscribers do not each carry a histogram. Merge only after the event loops have terminated.
 */
final class LatencyRecorders {
  /** Anything slower than this is recorded as this (a stuck message, not a latency). */
  static final long HIGHEST_NANOS = 600_000_000_000L;

  private final Map<Thread, Histogram> byThread = new ConcurrentHashMap<>();

  /** The calling thread's histogram (call on the event loop that will record into it). */
  Histogram forCurrentThread() {
    return byThread.computeIfAbsent(
        Thread.currentThread(), t -> new Histogram(1, HIGHEST_NANOS, 3));
  }

  Histogram merged() {
    Histogram all = new Histogram(1, HIGHEST_NANOS, 3);
    byThread.values().forEach(all::add);
    return all;
  }
}
