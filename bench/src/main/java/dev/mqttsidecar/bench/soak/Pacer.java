package dev.mqttsidecar.bench.soak;

/** A fixed rate: how many events are due since the start. Not thread-safe. */
final class Pacer {
  private final double ratePerSecond;
  private long startNanos;
  private long taken;

  Pacer(double ratePerSecond) {
    this.ratePerSecond = ratePerSecond;
  }

  void start() {
    startNanos = System.nanoTime();
  }

  /** Events due now and not yet taken. */
  long pending() {
    return (long) (ratePerSecond * (System.nanoTime() - startNanos) / 1e9) - taken;
  }

  /** Takes one due event; returns its sequence number. */
  long take() {
    return taken++;
  }
}
