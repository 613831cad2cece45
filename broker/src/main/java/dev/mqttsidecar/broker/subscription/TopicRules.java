package dev.mqttsidecar.broker.subscription;

import dev.mqttsidecar.broker.text.Utf8;

/**
 * Validates topic names and topic filters against the spec and the configured limits.
 *
 * @param maxLength longest name or filter in UTF-8 bytes
 * @param maxLevels most levels
 */
public record TopicRules(int maxLength, int maxLevels) {

  /** The spec's own limits only. */
  public static final TopicRules SPEC = new TopicRules(65535, 65535);

  /** Returns why {@code topic} is not a valid PUBLISH topic name, or null when it is. */
  public String nameProblem(String topic) {
    if (topic == null || topic.isEmpty()) {
      return "empty topic name"; // [MQTT-4.7.3-1]
    }
    String common = commonProblem(topic);
    if (common != null) {
      return common;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#') {
        return "wildcard in topic name"; // [MQTT-3.3.2-2]
      }
    }
    return null;
  }

  /**
   * Parses a filter, optionally {@code $share/<group>/<filter>}; throws IllegalArgumentException.
   */
  public TopicFilter parseFilter(String filter) {
    if (filter == null || filter.isEmpty()) {
      throw new IllegalArgumentException("empty topic filter"); // [MQTT-4.7.3-1]
    }
    String common = commonProblem(filter);
    if (common != null) {
      throw new IllegalArgumentException(common);
    }
    String group = null;
    String plain = filter;
    if (filter.startsWith(TopicFilter.SHARE_PREFIX)) {
      int slash = filter.indexOf('/', TopicFilter.SHARE_PREFIX.length());
      group = slash < 0 ? "" : filter.substring(TopicFilter.SHARE_PREFIX.length(), slash);
      if (slash < 0 || group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
        throw new IllegalArgumentException("invalid share name"); // [MQTT-4.8.2-1]
      }
      plain = filter.substring(slash + 1);
      if (plain.isEmpty()) {
        throw new IllegalArgumentException("empty filter in shared subscription"); // [MQTT-4.8.2-2]
      }
    }
    String[] levels = plain.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.indexOf('#') >= 0 && (!level.equals("#") || i != levels.length - 1)) {
        throw new IllegalArgumentException(
            "'#' must be last and alone in its level"); // [MQTT-4.7.1-1]
      }
      if (level.indexOf('+') >= 0 && !level.equals("+")) {
        throw new IllegalArgumentException("'+' must occupy a whole level"); // [MQTT-4.7.1-2]
      }
    }
    return new TopicFilter(filter, group, plain, levels);
  }

  private String commonProblem(String s) {
    if (Utf8.length(s) > maxLength) {
      return "longer than " + maxLength + " bytes";
    }
    int levels = 1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u0000') {
        return "contains U+0000"; // [MQTT-1.5.4-2]
      }
      if (c == '\uFFFD') {
        // The decoder substitutes U+FFFD for ill-formed UTF-8 [MQTT-1.5.4-1].
        return "contains ill-formed UTF-8";
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1)))
          && !(Character.isLowSurrogate(c)
              && i > 0
              && Character.isHighSurrogate(s.charAt(i - 1)))) {
        return "contains an unpaired surrogate";
      }
      if (c == '/') {
        levels++;
      }
    }
    if (levels > maxLevels) {
      return "more than " + maxLevels + " levels";
    }
    return null;
  }
}
