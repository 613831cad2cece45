package dev.mqttsidecar.component.endpoint;

import dev.mqttsidecar.broker.UserProperty;
import java.util.List;
import java.util.Objects;

/**
 * A message to or from another broker.
 *
 * @param contentType MQTT 5 Content Type, or null (MQTT 3.1.1 has none)
 * @param userProperties MQTT 5 user properties (MQTT 3.1.1 has none)
 */
public record RemoteMessage(
    String topic,
    byte[] payload,
    int qos,
    boolean retain,
    String contentType,
    List<UserProperty> userProperties) {

  public RemoteMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
  }
}
