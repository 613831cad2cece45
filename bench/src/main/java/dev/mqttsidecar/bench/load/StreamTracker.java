package dev.mqttsidecar.bench.load;

import java.util.BitSet;

/**
 * What one subscriber received of one publisher's stream: which sequence numbers (to count
 * duplicates and, against what was sent, losses) and whether they came in order. Event-loop only.
 */
final class StreamTracker {
  private final BitSet seen = new BitSet();
  private long unique;
  private long duplicates;
  private long outOfOrder;
  private long last = -1;

  void mark(long seq) {
    if (seq < 0 || seq > Integer.MAX_VALUE) {
      duplicates++; // not a sequence number we sent; counted where it shows
      return;
    }
    int i = (int) seq;
    if (seen.get(i)) {
      duplicates++;
      return;
    }
    seen.set(i);
    unique++;
    if (seq < last) {
      outOfOrder++;
    }
    last = Math.max(last, seq);
  }

  long unique() {
    return unique;
  }

  long duplicates() {
    return duplicates;
  }

  long outOfOrder() {
    return outOfOrder;
  }
}
