package dev.mqttsidecar.broker.subscription;

import java.util.Arrays;

/**
 * A validated topic filter; create with {@link TopicRules#parseFilter}.
 *
 * @param raw the filter as subscribed, including any {@code $share/<group>/} prefix
 * @param shareGroup the share name, or null for a non-shared subscription
 * @param filter the filter without the share prefix
 * @param levels {@code filter} split at '/'
 */
public record TopicFilter(String raw, String shareGroup, String filter, String[] levels) {

  public static final String SHARE_PREFIX = "$share/";

  public boolean isShared() {
    return shareGroup != null;
  }

  public boolean hasWildcard() {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  /** Whether {@code topic} (a valid topic name) matches this filter. */
  public boolean matches(String topic) {
    return TopicFilter.matches(levels, topic);
  }

  /** The literal part before the first wildcard, for prefix scans. */
  public String literalPrefix() {
    int plus = filter.indexOf('+');
    int hash = filter.indexOf('#');
    int cut = plus < 0 ? hash : hash < 0 ? plus : Math.min(plus, hash);
    return cut < 0 ? filter : filter.substring(0, cut);
  }

  static boolean matches(String[] levels, String topic) {
    String[] parts = topic.split("/", -1);
    if (topic.startsWith("$") && (levels[0].equals("+") || levels[0].equals("#"))) {
      return false; // [MQTT-4.7.2-1]
    }
    int i = 0;
    for (; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals("#")) {
        return true; // '#' also matches the parent level [MQTT-4.7.1-2]
      }
      if (i >= parts.length) {
        return false;
      }
      if (!level.equals("+") && !level.equals(parts[i])) {
        return false;
      }
    }
    return i == parts.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicFilter f && raw.equals(f.raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    return raw;
  }

  /** The levels without copying, for the index. */
  String[] levelArray() {
    return levels;
  }

  /** Defensive copy for callers outside the package. */
  @Override
  public String[] levels() {
    return Arrays.copyOf(levels, levels.length);
  }
}
