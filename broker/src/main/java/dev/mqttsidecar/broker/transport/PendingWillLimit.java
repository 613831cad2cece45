package dev.mqttsidecar.broker.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cap on wills the broker holds at once: those of live connections and those waiting for their
 * Will Delay Interval. Without it, clients that connect with a long-delayed will and drop the
 * connection, each under a new client id, would fill memory (and the store) with timers.
 */
final class PendingWillLimit {
  private final int max;
  private final AtomicInteger held = new AtomicInteger();
  private final LongAdder refused = new LongAdder();

  PendingWillLimit(int max) {
    this.max = max;
  }

  /** Takes a place for one more will; false (and counted) when {@code max} are held. */
  boolean tryTake() {
    if (held.incrementAndGet() > max) {
      held.decrementAndGet();
      refused.increment();
      return false;
    }
    return true;
  }

  /**
   * Takes a place whatever the cap: a will restored at start was acknowledged before the restart,
   * so it is kept even if the cap was lowered meanwhile.
   */
  void take() {
    held.incrementAndGet();
  }

  /** Gives back the place of a will that was published, discarded, cancelled or replaced. */
  void release() {
    held.decrementAndGet();
  }

  /** Wills held now. */
  int pending() {
    return held.get();
  }

  /** CONNECTs refused because {@code max} wills were held. */
  long refused() {
    return refused.sum();
  }
}
