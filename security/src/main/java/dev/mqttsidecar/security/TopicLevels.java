package dev.mqttsidecar.security;

/**
 * Topic filters as arrays of levels: whether a filter matches a topic, and whether one filter
 * covers another (matches every topic the other can match).
 */
final class TopicLevels {
  private static final String SINGLE = "+";
  private static final String MULTI = "#";

  private TopicLevels() {}

  static String[] split(String topicOrFilter) {
    return topicOrFilter.split("/", -1);
  }

  /**
   * Why {@code filter} is not a valid topic filter, or null when it is: not empty, no U+0000,
   * {@code #} alone in the last level [MQTT-4.7.1-1], {@code +} alone in its level [MQTT-4.7.1-2].
   */
  static String filterProblem(String filter) {
    if (filter.isEmpty()) {
      return "empty filter"; // [MQTT-4.7.3-1]
    }
    if (filter.indexOf('\u0000') >= 0) {
      return "contains U+0000"; // [MQTT-4.7.3-2]
    }
    String[] levels = split(filter);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.indexOf('#') >= 0 && (!level.equals(MULTI) || i != levels.length - 1)) {
        return "'#' must be last and alone in its level";
      }
      if (level.indexOf('+') >= 0 && !level.equals(SINGLE)) {
        return "'+' must occupy a whole level";
      }
    }
    return null;
  }

  /** Whether {@code filter} matches {@code topic} (a valid topic name), by the MQTT rules. */
  static boolean matches(String[] filter, String topic) {
    if (topic.startsWith("$") && isWildcard(filter[0])) {
      return false; // [MQTT-4.7.2-1]
    }
    String[] parts = split(topic);
    int i = 0;
    for (; i < filter.length; i++) {
      String level = filter[i];
      if (level.equals(MULTI)) {
        return true; // '#' also matches the parent level [MQTT-4.7.1-2]
      }
      if (i >= parts.length || (!level.equals(SINGLE) && !level.equals(parts[i]))) {
        return false;
      }
    }
    return i == parts.length;
  }

  /**
   * Whether {@code grant} matches every topic {@code requested} can match: level by level, a {@code
   * #} covers whatever follows, a {@code +} covers one level of any kind, a name covers only
   * itself. A grant starting with a wildcard does not cover a request starting with a {@code
   * $}-level, as it matches none of its topics [MQTT-4.7.2-1].
   */
  static boolean covers(String[] grant, String[] requested) {
    if (isWildcard(grant[0]) && requested[0].startsWith("$")) {
      return false;
    }
    for (int i = 0; ; i++) {
      if (i == grant.length) {
        return i == requested.length;
      }
      String g = grant[i];
      if (g.equals(MULTI)) {
        return true;
      }
      if (i == requested.length) {
        return false; // the request ends where the grant still needs a level
      }
      String r = requested[i];
      if (r.equals(MULTI)) {
        // The request reaches topics of any depth, and its parent level too [MQTT-4.7.1-2]: only a
        // '#' in the grant does, or a '+/#' where that parent would be the empty topic, which
        // cannot exist [MQTT-4.7.3-1].
        return g.equals(SINGLE)
            && grant.length == i + 2
            && grant[i + 1].equals(MULTI)
            && (i == 0 || (i == 1 && requested[0].isEmpty()));
      }
      if (!g.equals(SINGLE) && !g.equals(r)) {
        return false; // a name covers only the same name, not '+' nor another name
      }
    }
  }

  private static boolean isWildcard(String level) {
    return level.equals(SINGLE) || level.equals(MULTI);
  }
}
