package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Retained messages in topic order. Reads are lock-free; writes come only from {@link
 * RetainedService} under its write lock. Wildcard lookups scan the range under the filter's literal
 * prefix.
 */
final class RetainedIndex {
  private final ConcurrentSkipListMap<String, RetainedMessage> byTopic =
      new ConcurrentSkipListMap<>();

  RetainedMessage get(String topic) {
    return byTopic.get(topic);
  }

  void put(RetainedMessage m) {
    byTopic.put(m.message().topic(), m);
  }

  void remove(String topic) {
    byTopic.remove(topic);
  }

  int size() {
    return byTopic.size();
  }

  /** Unexpired messages whose topic starts with {@code prefix}, in topic order. */
  List<RetainedMessage> withPrefix(String prefix, Instant now) {
    List<RetainedMessage> out = new ArrayList<>();
    for (RetainedMessage m : range(prefix).values()) {
      if (!m.message().isExpired(now)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Unexpired messages matching a (non-shared) filter. */
  List<RetainedMessage> matching(TopicFilter filter, Instant now) {
    List<RetainedMessage> out = new ArrayList<>();
    if (!filter.hasWildcard()) {
      RetainedMessage m = byTopic.get(filter.filter());
      if (m != null && !m.message().isExpired(now)) {
        out.add(m);
      }
      return out;
    }
    for (Map.Entry<String, RetainedMessage> e : range(filter.literalPrefix()).entrySet()) {
      if (filter.matches(e.getKey()) && !e.getValue().message().isExpired(now)) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  private NavigableMap<String, RetainedMessage> range(String prefix) {
    if (prefix.isEmpty()) {
      return byTopic;
    }
    return byTopic.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
  }
}
