package dev.mqttsidecar.state;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The retained topics of one store instance: {@code <topicPrefix><encoded key>}. */
public final class StateTopics {
  /** The longest topic name MQTT can carry, in UTF-8 bytes [MQTT-1.5.4]. */
  static final int MAX_TOPIC_BYTES = 65_535;

  private final String prefix;

  public StateTopics(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /**
   * The topic of a key.
   *
   * @throws StateException INVALID_ARGUMENT for a key no topic can represent
   */
  public String topicOf(String key) {
    String topic;
    try {
      topic = prefix + KeyCodec.encode(key);
    } catch (IllegalArgumentException e) {
      throw StateException.invalid("invalid key: " + e.getMessage());
    }
    if (topic.length() > MAX_TOPIC_BYTES / 3
        && topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
      throw StateException.invalid(
          "key too long: its topic would exceed " + MAX_TOPIC_BYTES + " bytes");
    }
    return topic;
  }

  /** The key of a topic under the prefix, or empty if the topic is not a key's canonical topic. */
  public Optional<String> keyOf(String topic) {
    if (!topic.startsWith(prefix)) {
      return Optional.empty();
    }
    return KeyCodec.decode(topic.substring(prefix.length()));
  }
}
