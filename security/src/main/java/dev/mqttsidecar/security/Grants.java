package dev.mqttsidecar.security;

import java.util.ArrayList;
import java.util.List;

/** What one client may publish and subscribe to: its rule's grants, filled in for it. */
final class Grants {
  static final Grants NONE = new Grants(List.of(), List.of());

  private final String[][] publish;
  private final String[][] subscribe;
  private final String[] sharedGroups; // the group of each shared-only grant
  private final String[][] sharedFilters; // and its filter

  /**
   * @param publishFilters valid topic filters
   * @param subscribeFilters valid topic filters, or {@code $share/{group}/{filter}} grants that
   *     allow only that shared subscription
   */
  Grants(List<String> publishFilters, List<String> subscribeFilters) {
    this.publish = publishFilters.stream().map(TopicLevels::split).toArray(String[][]::new);
    List<String[]> plain = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String[]> groupFilters = new ArrayList<>();
    for (String s : subscribeFilters) {
      if (SharedFilter.isShared(s)) {
        SharedFilter shared = SharedFilter.parse(s);
        if (shared != null) {
          groups.add(shared.group());
          groupFilters.add(TopicLevels.split(shared.filter()));
        }
      } else {
        plain.add(TopicLevels.split(s));
      }
    }
    this.subscribe = plain.toArray(new String[0][]);
    this.sharedGroups = groups.toArray(new String[0]);
    this.sharedFilters = groupFilters.toArray(new String[0][]);
  }

  boolean mayPublish(String topic) {
    for (String[] filter : publish) {
      if (TopicLevels.matches(filter, topic)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a grant covers {@code requested}. A shared subscription {@code $share/{group}/{filter}}
   * receives a part of what {@code filter} would, so a plain grant covering {@code filter} allows
   * it in any group; a shared grant allows only its own group.
   */
  boolean maySubscribe(String requested) {
    if (!SharedFilter.isShared(requested)) {
      return anyCovers(subscribe, TopicLevels.split(requested));
    }
    SharedFilter shared = SharedFilter.parse(requested);
    if (shared == null) {
      return false;
    }
    String[] levels = TopicLevels.split(shared.filter());
    if (anyCovers(subscribe, levels)) {
      return true;
    }
    for (int i = 0; i < sharedGroups.length; i++) {
      if (sharedGroups[i].equals(shared.group()) && TopicLevels.covers(sharedFilters[i], levels)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyCovers(String[][] grants, String[] requested) {
    for (String[] grant : grants) {
      if (TopicLevels.covers(grant, requested)) {
        return true;
      }
    }
    return false;
  }
}
