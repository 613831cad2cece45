package dev.mqttsidecar.component.pubsub;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the consumer groups of {@link ConsumerGroupRun} are owed, and what they got. A group exists
 * from the moment its first stream is subscribed (it then queues for {@code sessionExpirySeconds},
 * also while no stream is open and across restarts); a message whose Publish rpc succeeded is owed
 * to every group that existed when it was published, and settled for a group once a stream of the
 * group acked it. Duplicates are allowed (at-least-once) and only counted.
 *
 * <p>Steps run on one thread; deliveries and acks are recorded from the streams' threads.
 */
final class ConsumerGroupModel {
  private final BitSet existing = new BitSet();
  private int nextId;

  /** The groups that existed when each message was published (attempted). */
  private final Map<String, BitSet> audience = new ConcurrentHashMap<>();

  private final List<Set<String>> owed = new ArrayList<>();
  private final List<Map<String, AtomicInteger>> deliveries = new ArrayList<>();
  private final List<Map<String, AtomicInteger>> acks = new ArrayList<>();
  private final AtomicInteger publishFailures = new AtomicInteger();

  ConsumerGroupModel() {
    for (int g = 0; g < Step.GROUPS; g++) {
      owed.add(ConcurrentHashMap.newKeySet());
      deliveries.add(new ConcurrentHashMap<>());
      acks.add(new ConcurrentHashMap<>());
    }
  }

  /** A stream of {@code group} is subscribed: the group exists from now on. */
  void subscribed(int group) {
    existing.set(group);
  }

  boolean exists(int group) {
    return existing.get(group);
  }

  /** The id of the next message, before it is published. */
  String publishing() {
    String id = "m" + ++nextId;
    audience.put(id, (BitSet) existing.clone());
    return id;
  }

  /** The Publish rpc of {@code id} succeeded: every group that existed is owed it. */
  void published(String id) {
    BitSet groups = audience.get(id);
    groups.stream().forEach(g -> owed.get(g).add(id));
  }

  /** The Publish rpc of {@code id} failed: nobody is owed it (but may receive it). */
  void publishFailed() {
    publishFailures.incrementAndGet();
  }

  void delivered(int group, String id) {
    deliveries.get(group).computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
  }

  /** A stream of {@code group} acked {@code id} (daprd's success ack). */
  void acked(int group, String id) {
    acks.get(group).computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Per group, the owed messages no stream of it acked yet, with how often each was delivered. */
  Map<String, List<String>> missing() {
    Map<String, List<String>> missing = new LinkedHashMap<>();
    for (int g = 0; g < Step.GROUPS; g++) {
      List<String> ids = new ArrayList<>();
      for (String id : sorted(owed.get(g))) {
        if (!acks.get(g).containsKey(id)) {
          AtomicInteger delivered = deliveries.get(g).get(id);
          ids.add(id + " (delivered " + (delivered == null ? 0 : delivered.get()) + "x)");
        }
      }
      if (!ids.isEmpty()) {
        missing.put("g" + g, ids);
      }
    }
    return missing;
  }

  /**
   * Per group, delivered messages it was never to see: published before the group existed, or never
   * published at all.
   */
  Map<String, List<String>> strangers() {
    Map<String, List<String>> strangers = new LinkedHashMap<>();
    for (int g = 0; g < Step.GROUPS; g++) {
      List<String> ids = new ArrayList<>();
      for (String id : sorted(deliveries.get(g).keySet())) {
        BitSet groups = audience.get(id);
        if (groups == null || !groups.get(g)) {
          ids.add(id);
        }
      }
      if (!ids.isEmpty()) {
        strangers.put("g" + g, ids);
      }
    }
    return strangers;
  }

  int published() {
    return nextId - publishFailures.get();
  }

  int publishFailures() {
    return publishFailures.get();
  }

  int owedCount() {
    return owed.stream().mapToInt(Set::size).sum();
  }

  int deliveries() {
    return total(deliveries);
  }

  int acks() {
    return total(acks);
  }

  /** Success acks beyond the first, per message and group. */
  int duplicateAcks() {
    int duplicates = 0;
    for (Map<String, AtomicInteger> group : acks) {
      for (AtomicInteger n : group.values()) {
        duplicates += n.get() - 1;
      }
    }
    return duplicates;
  }

  private static int total(List<Map<String, AtomicInteger>> counts) {
    return counts.stream().flatMap(m -> m.values().stream()).mapToInt(AtomicInteger::get).sum();
  }

  private static List<String> sorted(Set<String> ids) {
    return ids.stream().sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
  }

  private static int number(String id) {
    try {
      return Integer.parseInt(id.substring(1));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }
}
