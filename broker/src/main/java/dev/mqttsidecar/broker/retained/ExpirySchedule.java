package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.persistence.RetainedHeader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Retained topics whose message expires, in expiry order, so expired messages can be removed from
 * memory and the store while the broker runs instead of waiting for a restart or an overwrite.
 * Holds one entry per expiring topic: the index replaces a topic's entry when it replaces its
 * header. Not thread-safe: used under {@link RetainedService}'s write lock.
 */
final class ExpirySchedule {
  private record Due(Instant at, String topic) {}

  private static final Comparator<Due> ORDER =
      Comparator.comparing(Due::at).thenComparing(Due::topic);

  private final TreeSet<Due> due = new TreeSet<>(ORDER);

  /** Follows a topic's header from {@code before} to {@code after}; either may be null. */
  void replace(RetainedHeader before, RetainedHeader after) {
    if (before != null && before.expiresAt() != null) {
      due.remove(new Due(before.expiresAt(), before.topic()));
    }
    if (after != null && after.expiresAt() != null) {
      due.add(new Due(after.expiresAt(), after.topic()));
    }
  }

  /** Up to {@code max} topics whose message has expired at {@code now}, the oldest first. */
  List<String> expired(Instant now, int max) {
    List<String> out = new ArrayList<>(Math.min(max, due.size()));
    for (Due d : due) {
      if (out.size() == max || now.isBefore(d.at())) {
        break;
      }
      out.add(d.topic());
    }
    return out;
  }

  int size() {
    return due.size();
  }
}
