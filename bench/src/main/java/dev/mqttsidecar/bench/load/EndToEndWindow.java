package dev.mqttsidecar.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * End-to-end flow control for max-rate runs: a publisher may have at most {@code limit} messages
 * sent but not yet delivered to its subscribers. Without it, a publisher at full speed measures how
 * a broker sheds overload (QoS 0 drops, full queues) rather than how much it delivers; with it, the
 * run finds the rate the broker sustains. Possible only because publishers and subscribers share
 * this JVM.
 *
 * <p>A message the broker dropped is never delivered and would close the window for good, so a
 * window that makes no progress for {@link #STALL_NANOS} writes its outstanding messages off.
 */
final class EndToEndWindow {
  static final long STALL_NANOS = 1_000_000_000L;

  private final AtomicLongArray delivered;
  private final int[] fanOut;
  private final long limit;
  private final long[] writtenOff;
  private final long[] stalledSince;
  private final long[] lastDelivered;

  /**
   * @param fanOut per publisher, how many subscribers receive each of its messages
   * @param limit messages each publisher may have in transit
   */
  EndToEndWindow(int[] fanOut, long limit) {
    this.fanOut = fanOut.clone();
    this.limit = limit;
    this.delivered = new AtomicLongArray(fanOut.length);
    this.writtenOff = new long[fanOut.length];
    this.stalledSince = new long[fanOut.length];
    this.lastDelivered = new long[fanOut.length];
  }

  /** A subscriber received a message of {@code publisher} (any thread). */
  void delivered(int publisher) {
    delivered.getAndIncrement(publisher);
  }

  /** How many more messages {@code publisher} may send now (its own event loop only). */
  long room(int publisher, long sent, long now) {
    long got = delivered.get(publisher);
    long outstanding = sent - got / fanOut[publisher] - writtenOff[publisher];
    if (outstanding < limit) {
      stalledSince[publisher] = 0;
      return limit - outstanding;
    }
    if (got != lastDelivered[publisher] || stalledSince[publisher] == 0) {
      lastDelivered[publisher] = got;
      stalledSince[publisher] = now;
    } else if (now - stalledSince[publisher] > STALL_NANOS) {
      writtenOff[publisher] +=
          outstanding; // presumed dropped by the broker; counted as lost at the end
      stalledSince[publisher] = 0;
      return limit;
    }
    return 0;
  }
}
