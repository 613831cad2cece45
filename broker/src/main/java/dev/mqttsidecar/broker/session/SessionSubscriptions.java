package dev.mqttsidecar.broker.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session's subscriptions by raw filter, and the shared groups among them. The subscription index
 * changes them, under its lock; anyone may read them. A session gets this with its first
 * subscription ({@link Session#subscriptionRecord}), and the group map with its first shared one.
 */
public final class SessionSubscriptions {
  private final Map<String, SubscriptionOptions> filters = new ConcurrentHashMap<>();
  private volatile Map<String, GroupLink> groups = Map.of();

  Map<String, SubscriptionOptions> filters() {
    return filters;
  }

  Map<String, GroupLink> groups() {
    return groups;
  }

  /** Records a subscription, and the shared group it joins (null for none). */
  public void added(String raw, SubscriptionOptions options, GroupLink group) {
    if (group != null) {
      if (groups.isEmpty()) {
        groups = new ConcurrentHashMap<>();
      }
      groups.put(raw, group);
    }
    filters.put(raw, options);
  }

  /** Forgets a subscription and its group. */
  public void removed(String raw) {
    filters.remove(raw);
    if (!groups.isEmpty()) { // Map.of() refuses changes, even removals
      groups.remove(raw);
    }
  }

  /** Forgets every subscription. */
  public void cleared() {
    filters.clear();
    if (!groups.isEmpty()) {
      groups.clear();
    }
  }
}
