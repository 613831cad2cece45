package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The retained messages a new subscription matches, read from the store a batch at a time as the
 * subscriber takes them: memory holds the walk through the index and one batch, however many
 * messages match. Each message is read when its turn comes, so one removed or expired by then is
 * not sent, and one replaced is sent in its latest version. A version written after the replay
 * began is left out: the subscription already existed, so it went out as a live message, and
 * sending the replay's copy after it could put an older value last. Used by one thread at a time.
 */
public final class RetainedReplay {
  private static final int SKIPS_PER_MESSAGE = 16;

  private final RetainedTopicTree.Matches matches;
  private final RetainedPersistence persistence;
  private final Clock clock;
  private final long lastVersionBefore;

  RetainedReplay(
      RetainedTopicTree.Matches matches,
      RetainedPersistence persistence,
      Clock clock,
      long lastVersionBefore) {
    this.matches = matches;
    this.persistence = persistence;
    this.clock = clock;
    this.lastVersionBefore = lastVersionBefore;
  }

  /** The last retained version it sends: later ones reached the subscription as live messages. */
  public long versionBound() {
    return lastVersionBefore;
  }

  /**
   * Hands the next messages to {@code out}: up to {@code maxCount}, and no more payload bytes than
   * {@code maxBytes} unless the first message alone is larger.
   *
   * @return false once every match has been handed out (this call may have handed out some)
   */
  public boolean next(int maxCount, long maxBytes, Consumer<RetainedMessage> out) {
    Instant now = clock.instant();
    int count = 0;
    long bytes = 0;
    // Skipped matches count too, so one call stays short whatever it skips.
    for (int visited = 0; count < maxCount && bytes < maxBytes; visited++) {
      if (visited == SKIPS_PER_MESSAGE * maxCount) {
        return true;
      }
      RetainedHeader h = matches.next();
      if (h == null) {
        return false;
      }
      if (h.isExpired(now) || h.version() > lastVersionBefore) {
        continue;
      }
      Optional<RetainedMessage> stored = persistence.read(h.topic());
      if (stored.isEmpty()
          || stored.get().version() > lastVersionBefore
          || stored.get().message().isExpired(now)) {
        continue;
      }
      out.accept(stored.get());
      count++;
      bytes += stored.get().message().payloadSize();
    }
    return true;
  }
}
