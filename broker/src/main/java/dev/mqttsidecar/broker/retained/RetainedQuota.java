package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.logging.ThrottledLog;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * The retained store's bounds: how many topics may hold a retained message, and how many bytes
 * ({@link RetainedHeader#sizeOf}) they may hold together. A change is judged by its net effect, as
 * a whole: one that would pass a bound is refused; one that keeps the count or shrinks the bytes (a
 * replacement by a smaller message, a delete) always fits, so a store above a lowered bound can
 * still shrink. Refusals are counted and logged at most once per {@link ThrottledLog#REFUSALS}.
 */
public final class RetainedQuota {
  private final int maxMessages;
  private final long maxBytes;
  private final LongAdder refused = new LongAdder();
  private final ThrottledLog log =
      new ThrottledLog(LoggerFactory.getLogger(RetainedQuota.class), ThrottledLog.REFUSALS);

  public RetainedQuota(int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /** No bounds. */
  public static RetainedQuota unlimited() {
    return new RetainedQuota(Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * Whether applying {@code writes} in order to {@code index} keeps it within the bounds. Call
   * under the retained write lock.
   *
   * @return null if they fit, else which bound they would pass
   */
  String check(RetainedIndex index, List<RetainedWrite> writes) {
    Map<String, Long> sizeAfter = new HashMap<>(); // of the topics written so far; -1: absent
    long countDelta = 0;
    long bytesDelta = 0;
    for (RetainedWrite w : writes) {
      Long written = sizeAfter.get(w.topic());
      long before = written != null ? written : sizeOf(index.get(w.topic()));
      long after = w.replacement() == null ? -1 : RetainedHeader.sizeOf(w.replacement());
      countDelta += (after >= 0 ? 1 : 0) - (before >= 0 ? 1 : 0);
      bytesDelta += Math.max(after, 0) - Math.max(before, 0);
      sizeAfter.put(w.topic(), after);
    }
    if (countDelta > 0 && index.size() + countDelta > maxMessages) {
      return "maxRetainedMessages (" + maxMessages + ") reached";
    }
    if (bytesDelta > 0 && index.bytes() + bytesDelta > maxBytes) {
      return "maxRetainedBytes ("
          + maxBytes
          + ") reached: "
          + index.bytes()
          + " bytes held, "
          + bytesDelta
          + " more needed";
    }
    return null;
  }

  private static long sizeOf(RetainedHeader h) {
    return h == null ? -1 : h.size();
  }

  /** Counts a refused write to {@code topic} and logs it, unless one was logged just before. */
  void refused(String topic, String why) {
    refused.increment();
    log.warn("retained message for '" + ThrottledLog.shown(topic) + "' refused: " + why);
  }

  /** How many writes were refused for a bound. */
  public long refused() {
    return refused.sum();
  }
}
