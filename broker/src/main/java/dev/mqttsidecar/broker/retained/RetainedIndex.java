package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The headers of retained messages (payloads stay in the persistence): a hash map for the exact
 * lookups every write makes under the retained write lock, and the topics in order for prefix and
 * wildcard scans, which scan the range under the filter's literal prefix. Reads are lock-free;
 * writes come only from {@link RetainedService} under its write lock, and only a new or deleted
 * topic touches the ordered set.
 */
final class RetainedIndex {
  private final ConcurrentHashMap<String, RetainedHeader> byTopic = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<String> topics = new ConcurrentSkipListSet<>();

  RetainedHeader get(String topic) {
    return byTopic.get(topic);
  }

  void put(RetainedHeader h) {
    if (byTopic.put(h.topic(), h) == null) {
      topics.add(h.topic());
    }
  }

  void remove(String topic) {
    if (byTopic.remove(topic) != null) {
      topics.remove(topic);
    }
  }

  int size() {
    return byTopic.size();
  }

  /** Unexpired headers whose topic starts with {@code prefix}, in topic order. */
  List<RetainedHeader> withPrefix(String prefix, Instant now) {
    List<RetainedHeader> out = new ArrayList<>();
    for (String topic : range(prefix)) {
      addIfLive(out, topic, now);
    }
    return out;
  }

  /** Unexpired headers matching a (non-shared) filter. */
  List<RetainedHeader> matching(TopicFilter filter, Instant now) {
    List<RetainedHeader> out = new ArrayList<>();
    if (!filter.hasWildcard()) {
      addIfLive(out, filter.filter(), now);
      return out;
    }
    for (String topic : range(filter.literalPrefix())) {
      if (filter.matches(topic)) {
        addIfLive(out, topic, now);
      }
    }
    return out;
  }

  /** Adds the topic's header unless it is gone (a concurrent delete) or expired. */
  private void addIfLive(List<RetainedHeader> out, String topic, Instant now) {
    RetainedHeader h = byTopic.get(topic);
    if (h != null && !h.isExpired(now)) {
      out.add(h);
    }
  }

  private NavigableSet<String> range(String prefix) {
    if (prefix.isEmpty()) {
      return topics;
    }
    return topics.subSet(prefix, true, prefix + Character.MAX_VALUE, false);
  }
}
