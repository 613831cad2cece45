package dev.mqttsidecar.broker.subscription;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.session.QueueContext;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * All subscriptions in a topic trie. Matching takes the read lock; subscribe/unsubscribe the write
 * lock. Both are short and never wait on I/O.
 */
public final class SubscriptionIndex {

  /**
   * What a topic matched: non-shared subscriptions per session (overlaps merged) and shared groups.
   */
  public record Matches(
      Map<Session, List<SubscriptionOptions>> sessions, List<SharedGroup> groups) {
    public int count() {
      return sessions.size() + groups.size();
    }
  }

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    final Map<Session, SubscriptionOptions> subscribers = new HashMap<>();
    final Map<String, SharedGroup> groups = new HashMap<>();

    boolean isEmpty() {
      return children.isEmpty() && subscribers.isEmpty() && groups.isEmpty();
    }
  }

  /** Topics whose matches are kept; beyond it topics are matched each time. */
  private static final int CACHED_TOPICS = 4096;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /**
   * Matches of recently published topics, valid until the next subscription change: publishers
   * repeat their topics, and a hit saves the trie walk and its allocations. Filled under the read
   * lock, cleared under the write lock, so an entry never outlives the subscriptions it reflects.
   */
  private final ConcurrentHashMap<String, Matches> cache = new ConcurrentHashMap<>();

  private final Node root = new Node();
  private final QueueContext ctx;

  public SubscriptionIndex(QueueContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Adds or replaces a subscription [MQTT-3.8.4-3].
   *
   * @return true if the session had no subscription with this exact filter before
   */
  public boolean subscribe(Session session, TopicFilter filter, SubscriptionOptions options) {
    lock.writeLock().lock();
    try {
      forgetMatches();
      Node node = root;
      for (String level : filter.levelArray()) {
        node = node.children.computeIfAbsent(level, l -> new Node());
      }
      boolean isNew;
      if (filter.isShared()) {
        SharedGroup g =
            node.groups.computeIfAbsent(filter.shareGroup(), n -> new SharedGroup(n, filter, ctx));
        // Link first: a concurrent attach then either sees the group or is seen as online by it.
        session.subscriptionRecord().added(filter.raw(), options, g);
        isNew = g.addMember(session, options);
      } else {
        isNew = node.subscribers.put(session, options) == null;
        session.subscriptionRecord().added(filter.raw(), options, null);
      }
      return isNew;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Removes a subscription; returns whether it existed. Held shared messages go back to the group.
   */
  public boolean unsubscribe(Session session, TopicFilter filter) {
    lock.writeLock().lock();
    try {
      forgetMatches();
      boolean existed = removeLocked(session, filter);
      session.subscriptionRecord().removed(filter.raw());
      return existed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes every subscription of an ended session. */
  public void removeAll(Session session, TopicRules rules) {
    if (session.subscriptions().isEmpty()) {
      // Most sessions end without a subscription: no lock, and the cached matches stay valid.
      return;
    }
    lock.writeLock().lock();
    try {
      forgetMatches();
      for (String raw : new ArrayList<>(session.subscriptions().keySet())) {
        removeLocked(session, rules.parseFilter(raw));
      }
      session.subscriptionRecord().cleared();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private boolean removeLocked(Session session, TopicFilter filter) {
    List<Node> path = new ArrayList<>();
    Node node = root;
    path.add(node);
    for (String level : filter.levelArray()) {
      node = node.children.get(level);
      if (node == null) {
        return false;
      }
      path.add(node);
    }
    boolean existed;
    if (filter.isShared()) {
      SharedGroup g = node.groups.get(filter.shareGroup());
      existed = g != null && g.removeMember(session);
      if (g != null && g.isEmpty()) {
        node.groups.remove(filter.shareGroup());
        g.close();
      }
    } else {
      existed = node.subscribers.remove(session) != null;
    }
    for (int i = path.size() - 1; i > 0; i--) {
      if (path.get(i).isEmpty()) {
        path.get(i - 1).children.remove(filter.levelArray()[i - 1]);
      } else {
        break;
      }
    }
    return existed;
  }

  /**
   * Whether any filter starts with the level {@code firstLevel} (its first level, not a wildcard).
   * For a {@code $}-level that is whether any subscription can match a topic under it, since
   * wildcards at the first level never match such topics [MQTT-4.7.2-1].
   */
  public boolean hasFiltersUnder(String firstLevel) {
    lock.readLock().lock();
    try {
      return root.children.containsKey(firstLevel);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Subscriptions matching a topic name; the result is shared and must not be changed. */
  public Matches match(String topic) {
    lock.readLock().lock();
    try {
      Matches cached = cache.get(topic);
      if (cached != null) {
        return cached;
      }
      Map<Session, List<SubscriptionOptions>> sessions = new LinkedHashMap<>();
      List<SharedGroup> groups = new ArrayList<>();
      collect(root, topic, 0, topic.startsWith("$"), sessions, groups);
      Matches m =
          new Matches(Collections.unmodifiableMap(sessions), Collections.unmodifiableList(groups));
      if (cache.size() < CACHED_TOPICS) {
        cache.put(topic, m);
      }
      return m;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Under the write lock: the subscriptions change, so cached matches are stale. */
  private void forgetMatches() {
    if (!cache.isEmpty()) {
      cache.clear();
    }
  }

  /**
   * Walks the trie along the topic's levels without splitting it: {@code start} is where the
   * current level begins, one past the end of the topic once every level is consumed.
   */
  private static void collect(
      Node node,
      String topic,
      int start,
      boolean dollar,
      Map<Session, List<SubscriptionOptions>> sessions,
      List<SharedGroup> groups) {
    boolean wildcardsAllowed = !(dollar && start == 0); // [MQTT-4.7.2-1]
    if (wildcardsAllowed) {
      Node hash = node.children.get("#");
      if (hash != null) {
        add(hash, sessions, groups); // '#' matches this level and all below, parent included
      }
    }
    if (start > topic.length()) {
      add(node, sessions, groups);
      return;
    }
    if (node.children.isEmpty()) {
      return;
    }
    int end = topic.indexOf('/', start);
    if (end < 0) {
      end = topic.length();
    }
    Node exact = node.children.get(topic.substring(start, end));
    if (exact != null) {
      collect(exact, topic, end + 1, dollar, sessions, groups);
    }
    if (wildcardsAllowed) {
      Node plus = node.children.get("+");
      if (plus != null) {
        collect(plus, topic, end + 1, dollar, sessions, groups);
      }
    }
  }

  private static void add(
      Node node, Map<Session, List<SubscriptionOptions>> sessions, List<SharedGroup> groups) {
    for (Map.Entry<Session, SubscriptionOptions> e : node.subscribers.entrySet()) {
      List<SubscriptionOptions> options = sessions.get(e.getKey());
      if (options == null) {
        options = new ArrayList<>(2);
        sessions.put(e.getKey(), options);
      }
      options.add(e.getValue());
    }
    if (!node.groups.isEmpty()) {
      groups.addAll(node.groups.values());
    }
  }

  /** The highest QoS among overlapping subscriptions of one session [MQTT-3.3.4-2]. */
  public static Qos maxQos(List<SubscriptionOptions> options) {
    Qos q = Qos.AT_MOST_ONCE;
    for (SubscriptionOptions o : options) {
      q = o.qos().value() > q.value() ? o.qos() : q;
    }
    return q;
  }
}
