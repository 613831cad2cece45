package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The headers of retained messages in topic order (payloads stay in the persistence). Reads are
 * lock-free; writes come only from {@link RetainedService} under its write lock. Wildcard lookups
 * scan the range under the filter's literal prefix.
 */
final class RetainedIndex {
  private final ConcurrentSkipListMap<String, RetainedHeader> byTopic =
      new ConcurrentSkipListMap<>();

  RetainedHeader get(String topic) {
    return byTopic.get(topic);
  }

  void put(RetainedHeader h) {
    byTopic.put(h.topic(), h);
  }

  void remove(String topic) {
    byTopic.remove(topic);
  }

  int size() {
    return byTopic.size();
  }

  /** Unexpired headers whose topic starts with {@code prefix}, in topic order. */
  List<RetainedHeader> withPrefix(String prefix, Instant now) {
    List<RetainedHeader> out = new ArrayList<>();
    for (RetainedHeader h : range(prefix).values()) {
      if (!h.isExpired(now)) {
        out.add(h);
      }
    }
    return out;
  }

  /** Unexpired headers matching a (non-shared) filter. */
  List<RetainedHeader> matching(TopicFilter filter, Instant now) {
    List<RetainedHeader> out = new ArrayList<>();
    if (!filter.hasWildcard()) {
      RetainedHeader h = byTopic.get(filter.filter());
      if (h != null && !h.isExpired(now)) {
        out.add(h);
      }
      return out;
    }
    for (Map.Entry<String, RetainedHeader> e : range(filter.literalPrefix()).entrySet()) {
      if (filter.matches(e.getKey()) && !e.getValue().isExpired(now)) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  private NavigableMap<String, RetainedHeader> range(String prefix) {
    if (prefix.isEmpty()) {
      return byTopic;
    }
    return byTopic.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
  }
}
