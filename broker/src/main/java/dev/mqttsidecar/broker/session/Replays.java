package dev.mqttsidecar.broker.session;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's backlogs in progress, by key (a subscription's filter), the oldest served first. Each
 * batch is small in count and bytes, so what a backlog holds in the session at once is one batch. A
 * backlog with a restart mark is kept in the session record until it is done (see {@link
 * Session#replay}). Confined to the session's executor.
 */
final class Replays {
  private static final Logger LOG = LoggerFactory.getLogger(Replays.class);

  /** Payload bytes of one batch, unless a single message is larger. */
  static final long BATCH_BYTES = 256 * 1024;

  private static final class Running {
    final Backlog backlog;
    final long restartMark;
    boolean held;

    Running(Backlog backlog, long restartMark, boolean held) {
      this.backlog = backlog;
      this.restartMark = restartMark;
      this.held = held;
    }
  }

  private final Session owner;
  private final Counters counters;
  private final int batchCount;
  private final Map<String, Running> running = new LinkedHashMap<>(2);

  /**
   * @param maxQueued the session queue's bound: a batch must fit in the queue, or it would be
   *     dropped for overflow
   */
  Replays(Session owner, Counters counters, int maxQueued) {
    this.owner = owner;
    this.counters = counters;
    this.batchCount = Math.max(1, Math.min(QueuedMessage.IN_MEMORY_HEAD, maxQueued));
  }

  /** Whether a backlog that is not held has messages left. */
  boolean hasReady() {
    for (Running r : running.values()) {
      if (!r.held) {
        return true;
      }
    }
    return false;
  }

  /** Starts {@code backlog}; one already under {@code key} stops. */
  void start(String key, Backlog backlog, long restartMark, boolean held) {
    Running old = running.remove(key);
    if (old != null) {
      abandoned(key, "replaced");
    }
    running.put(key, new Running(backlog, restartMark, held));
    counters.countReplayStarted();
    if (restartMark > 0 || (old != null && old.restartMark > 0)) {
      owner.saveRecord();
    }
  }

  /** Lets the held backlog under {@code key} send. */
  void release(String key) {
    Running r = running.get(key);
    if (r != null) {
      r.held = false;
    }
  }

  void releaseAll() {
    running.values().forEach(r -> r.held = false);
  }

  /** Stops the backlog under {@code key}, if any. */
  void stop(String key, String why) {
    Running r = running.remove(key);
    if (r != null) {
      abandoned(key, why);
      forgetMark(r);
    }
  }

  /** Stops them all: the session ended, so nothing is stored any more. */
  void stopAll() {
    for (String key : running.keySet().toArray(String[]::new)) {
      running.remove(key);
      abandoned(key, "session ended");
    }
  }

  /** The restart marks of the backlogs not done yet, by key, for the session record. */
  Map<String, Long> restartMarks() {
    if (running.isEmpty()) {
      return Map.of(); // nearly always: each record write asks
    }
    Map<String, Long> marks = new LinkedHashMap<>(2);
    running.forEach(
        (key, r) -> {
          if (r.restartMark > 0) {
            marks.put(key, r.restartMark);
          }
        });
    return marks;
  }

  /**
   * Hands the next batch of the oldest backlog that is not held to {@code out}; a finished one is
   * forgotten, its mark only after what it handed out (the store applies writes in order).
   */
  void nextBatch(Consumer<QueuedMessage> out) {
    Iterator<Map.Entry<String, Running>> it = running.entrySet().iterator();
    Map.Entry<String, Running> oldest = it.next();
    while (oldest.getValue().held) {
      oldest = it.next();
    }
    boolean more;
    try {
      more = oldest.getValue().backlog.next(batchCount, BATCH_BYTES, out);
    } catch (RuntimeException e) {
      LOG.warn("{}: retained messages for {} not sent: {}", owner, oldest.getKey(), e.toString());
      it.remove();
      counters.countReplayAbandoned();
      forgetMark(oldest.getValue());
      return;
    }
    if (!more) {
      it.remove();
      counters.countReplayFinished();
      forgetMark(oldest.getValue());
    }
  }

  private void forgetMark(Running r) {
    if (r.restartMark > 0) {
      owner.saveRecord();
    }
  }

  private void abandoned(String key, String why) {
    counters.countReplayAbandoned();
    LOG.debug("{}: retained messages for {} stopped: {}", owner, key, why);
  }
}
