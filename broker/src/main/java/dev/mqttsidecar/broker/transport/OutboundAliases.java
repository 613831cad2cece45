package dev.mqttsidecar.broker.transport;

import java.util.HashMap;
import java.util.Map;

/**
 * Topic aliases the broker assigns for one connection, up to the client's Topic Alias Maximum
 * [MQTT-3.1.2-26]; none when it sent none [MQTT-3.1.2-27]; never carried to another connection
 * [MQTT-3.3.2-7]. The first topics sent get the aliases; once all are taken, other topics go out in
 * full. Confined to the session's serial executor, which does all outbound PUBLISH writes.
 */
final class OutboundAliases {
  private final int maximum;
  private final Map<String, Integer> byTopic = new HashMap<>();

  /** A decision for one PUBLISH: the alias to send (0 for none) and whether the topic is needed. */
  record Choice(String topic, int alias, boolean aliasOnly) {}

  OutboundAliases(int maximum) {
    this.maximum = maximum;
  }

  /** The alias to use for {@code topic}; nothing is remembered until {@link #commit}. */
  Choice choose(String topic) {
    Integer known = byTopic.get(topic);
    if (known != null) {
      return new Choice(topic, known, true);
    }
    if (byTopic.size() < maximum) {
      return new Choice(
          topic, byTopic.size() + 1, false); // 1..maximum [MQTT-3.3.2-8], [MQTT-3.3.2-11]
    }
    return new Choice(topic, 0, false);
  }

  /** Records a new alias once its PUBLISH was actually written. */
  void commit(Choice c) {
    if (c.alias() > 0 && !c.aliasOnly()) {
      byTopic.put(c.topic(), c.alias());
    }
  }
}
