package dev.mqttsidecar.broker.session;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's backlogs in progress, by key (a subscription's filter), the oldest served first. Each
 * batch is small in count and bytes, so what a backlog holds in the session at once is one batch.
 * Confined to the session's executor.
 */
final class Replays {
  private static final Logger LOG = LoggerFactory.getLogger(Replays.class);

  /** Payload bytes of one batch, unless a single message is larger. */
  static final long BATCH_BYTES = 256 * 1024;

  private final Session owner;
  private final Counters counters;
  private final int batchCount;
  private final Map<String, Backlog> running = new LinkedHashMap<>(2);

  /**
   * @param maxQueued the session queue's bound: a batch must fit in the queue, or it would be
   *     dropped for overflow
   */
  Replays(Session owner, Counters counters, int maxQueued) {
    this.owner = owner;
    this.counters = counters;
    this.batchCount = Math.max(1, Math.min(QueuedMessage.IN_MEMORY_HEAD, maxQueued));
  }

  boolean isEmpty() {
    return running.isEmpty();
  }

  /** Starts {@code backlog}; one already under {@code key} stops. */
  void start(String key, Backlog backlog) {
    Backlog old = running.remove(key);
    if (old != null) {
      abandoned(key, "replaced");
    }
    running.put(key, backlog);
    counters.countReplayStarted();
  }

  /** Stops the backlog under {@code key}, if any. */
  void stop(String key, String why) {
    if (running.remove(key) != null) {
      abandoned(key, why);
    }
  }

  /** Stops them all: the session ended. */
  void stopAll() {
    for (String key : running.keySet().toArray(String[]::new)) {
      stop(key, "session ended");
    }
  }

  /** Hands the next batch of the oldest backlog to {@code out}; a finished one is forgotten. */
  void nextBatch(Consumer<QueuedMessage> out) {
    Iterator<Map.Entry<String, Backlog>> it = running.entrySet().iterator();
    Map.Entry<String, Backlog> oldest = it.next();
    boolean more;
    try {
      more = oldest.getValue().next(batchCount, BATCH_BYTES, out);
    } catch (RuntimeException e) {
      LOG.warn("{}: retained messages for {} not sent: {}", owner, oldest.getKey(), e.toString());
      it.remove();
      counters.countReplayAbandoned();
      return;
    }
    if (!more) {
      it.remove();
      counters.countReplayFinished();
    }
  }

  private void abandoned(String key, String why) {
    counters.countReplayAbandoned();
    LOG.debug("{}: retained messages for {} stopped: {}", owner, key, why);
  }
}
