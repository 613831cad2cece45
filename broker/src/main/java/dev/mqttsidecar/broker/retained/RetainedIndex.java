package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The headers of retained messages (payloads stay in the persistence), in a {@link
 * RetainedTopicTree}: an exact lookup walks the topic's levels, a filter visits only the branches
 * it can match, so a subscription costs what it receives whatever its wildcards. Reads are
 * lock-free; writes come only from {@link RetainedService} under its write lock. It keeps the sum
 * of the headers' sizes, which the retained bytes quota is checked against.
 */
final class RetainedIndex {
  private static final Comparator<RetainedHeader> TOPIC_ORDER =
      Comparator.comparing(RetainedHeader::topic);

  private final RetainedTopicTree tree = new RetainedTopicTree();
  private final ExpirySchedule expiries = new ExpirySchedule();
  private volatile long bytes; // written under the write lock

  RetainedHeader get(String topic) {
    return tree.get(topic);
  }

  void put(RetainedHeader h) {
    RetainedHeader old = tree.get(h.topic());
    expiries.replace(old, h);
    tree.put(h);
    bytes += h.size() - (old == null ? 0 : old.size());
  }

  void remove(String topic) {
    RetainedHeader old = tree.get(topic);
    expiries.replace(old, null);
    tree.remove(topic);
    bytes -= old == null ? 0 : old.size();
  }

  /** Up to {@code max} topics whose message has expired at {@code now}, the oldest first. */
  List<String> expired(Instant now, int max) {
    return expiries.expired(now, max);
  }

  int size() {
    return tree.size();
  }

  /** The sum of the sizes of the headers held, expired or not. */
  long bytes() {
    return bytes;
  }

  /** Unexpired headers whose topic starts with {@code prefix}, in topic order. */
  List<RetainedHeader> withPrefix(String prefix, Instant now) {
    List<RetainedHeader> out = new ArrayList<>();
    tree.forEachWithPrefix(prefix, h -> addIfLive(out, h, now));
    // The tree orders by level ('/' ends one), the callers by the topic string.
    out.sort(TOPIC_ORDER);
    return out;
  }

  /**
   * Up to {@code limit} unexpired topics that start with {@code prefix} and sort after {@code
   * after}, in topic order: memory for the page only, however many topics match.
   */
  List<String> pageWithPrefix(String prefix, String after, int limit, Instant now) {
    TreeSet<String> page = new TreeSet<>();
    tree.forEachWithPrefix(
        prefix,
        h -> {
          if (h != null && !h.isExpired(now) && h.topic().compareTo(after) > 0) {
            page.add(h.topic());
            if (page.size() > limit) {
              page.pollLast();
            }
          }
        });
    return new ArrayList<>(page);
  }

  /** Unexpired headers matching a (non-shared) filter, in no particular order. */
  List<RetainedHeader> matching(TopicFilter filter, Instant now) {
    List<RetainedHeader> out = new ArrayList<>();
    if (!filter.hasWildcard()) {
      addIfLive(out, tree.get(filter.filter()), now);
      return out;
    }
    tree.forEachMatch(filter.levels(), h -> addIfLive(out, h, now));
    return out;
  }

  /** The headers matching a (non-shared) filter, expired ones too, walked one at a time. */
  RetainedTopicTree.Matches matches(TopicFilter filter) {
    return tree.new Matches(filter.levels());
  }

  private static void addIfLive(List<RetainedHeader> out, RetainedHeader h, Instant now) {
    if (h != null && !h.isExpired(now)) {
      out.add(h);
    }
  }
}
