package dev.mqttsidecar.bench.load;

/**
 * When a run's phases start, in {@link System#nanoTime()} units: publishing starts at {@code
 * start}; messages sent before {@code measureFrom} are warm-up (counted for loss, left out of
 * latency and rates); publishing stops at {@code end}.
 */
public record Timeline(long start, long measureFrom, long end) {
  public Timeline {
    if (!(start <= measureFrom && measureFrom < end)) {
      throw new IllegalArgumentException("need start <= measureFrom < end");
    }
  }

  /** Length of the measured window in seconds. */
  public double windowSeconds() {
    return (end - measureFrom) / 1e9;
  }

  public boolean inWindow(long nanos) {
    return nanos >= measureFrom && nanos < end;
  }
}
