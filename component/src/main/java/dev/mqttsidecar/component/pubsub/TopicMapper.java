package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.dapr.InvalidMetadataException;
import java.util.List;

/**
 * Maps Dapr topic names to MQTT topics and back: the configured {@code topicPrefix} is added on the
 * way to MQTT and removed on the way to Dapr. Wildcards ({@code +}, {@code #}) are allowed in
 * subscriptions only.
 */
final class TopicMapper {
  /**
   * MQTT topics a Dapr publish must not reach: the state stores' keys, and what the broker itself
   * publishes ({@code $SYS} statistics, {@code $events} client events).
   */
  private static final List<String> RESERVED_PREFIXES = List.of("$dapr/", "$SYS/", "$events/");

  private final String prefix;

  TopicMapper(String prefix) {
    this.prefix = prefix;
  }

  /**
   * The MQTT topic a Dapr topic is published to.
   *
   * @throws IllegalArgumentException for an empty topic, one with wildcards, or one that maps under
   *     a reserved prefix
   */
  String toMqtt(String daprTopic) {
    if (daprTopic == null || daprTopic.isEmpty()) {
      throw new IllegalArgumentException("topic is empty");
    }
    String problem = wildcardProblem(daprTopic);
    if (problem != null) {
      throw new IllegalArgumentException("topic '" + daprTopic + "': " + problem);
    }
    String mqttTopic = prefix + daprTopic;
    for (String reserved : RESERVED_PREFIXES) {
      if (mqttTopic.startsWith(reserved)) {
        throw new IllegalArgumentException(
            "topic '"
                + daprTopic
                + "' maps to MQTT topic '"
                + mqttTopic
                + "' under the reserved "
                + reserved
                + " (state store keys and broker statistics/events cannot be published)");
      }
    }
    return mqttTopic;
  }

  /**
   * The shared-subscription filter of a consumer group for a Dapr topic or topic filter.
   *
   * @throws IllegalArgumentException for an empty filter or a filter that is itself shared
   */
  String sharedFilter(String group, String daprFilter) {
    if (daprFilter == null || daprFilter.isEmpty()) {
      throw new IllegalArgumentException("topic is empty");
    }
    if (daprFilter.startsWith("$share/")) {
      throw new IllegalArgumentException(
          "topic '" + daprFilter + "': consumer groups come from consumerID, not $share/");
    }
    return "$share/" + group + "/" + prefix + daprFilter;
  }

  /** The Dapr topic of an MQTT topic (the prefix removed). */
  String toDapr(String mqttTopic) {
    return mqttTopic.startsWith(prefix) ? mqttTopic.substring(prefix.length()) : mqttTopic;
  }

  /**
   * A share name built from parts that may hold characters share names cannot [MQTT-4.8.2-2] ('/',
   * '+', '#'). Each part is percent-encoded (also '%' and the '.' that joins the parts), so
   * different parts never give the same name.
   */
  static String shareName(String... parts) {
    StringBuilder name = new StringBuilder();
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      if (name.length() > 0) {
        name.append('.');
      }
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        switch (c) {
          case '%' -> name.append("%25");
          case '.' -> name.append("%2E");
          case '/' -> name.append("%2F");
          case '+' -> name.append("%2B");
          case '#' -> name.append("%23");
          default -> name.append(c);
        }
      }
    }
    return name.toString();
  }

  /** Rejects wildcards in a metadata value that names a topic or topic prefix. */
  static void requireNoWildcards(String key, String value) {
    String problem = wildcardProblem(value);
    if (problem != null) {
      throw new InvalidMetadataException(key, "'" + value + "' " + problem);
    }
  }

  private static String wildcardProblem(String topic) {
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      return "must not contain the wildcards '+' or '#'"; // [MQTT-3.3.2-2]
    }
    if (topic.indexOf('\u0000') >= 0) {
      return "must not contain U+0000"; // [MQTT-1.5.4-2]
    }
    return null;
  }
}
