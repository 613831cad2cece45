package dev.mqttsidecar.broker;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5 application properties a PUBLISH carries end to end [MQTT-3.3.2.3]. MQTT 3.1.1
 * messages simply have {@link #NONE}. Message expiry lives on {@link Message} as an absolute time,
 * because it must keep counting while a message is stored.
 *
 * @param utf8Payload Payload Format Indicator = 1
 * @param contentType Content Type, or null
 * @param responseTopic Response Topic, or null
 * @param correlationData Correlation Data, or null
 * @param userProperties user properties in the order received
 */
public record MessageProperties(
    boolean utf8Payload,
    String contentType,
    String responseTopic,
    byte[] correlationData,
    List<UserProperty> userProperties) {

  public static final MessageProperties NONE =
      new MessageProperties(false, null, null, null, List.of());

  public MessageProperties {
    userProperties = List.copyOf(Objects.requireNonNull(userProperties, "userProperties"));
    correlationData = correlationData == null ? null : correlationData.clone();
  }

  @Override
  public byte[] correlationData() {
    return correlationData == null ? null : correlationData.clone();
  }

  public MessageProperties withContentType(String type) {
    return new MessageProperties(utf8Payload, type, responseTopic, correlationData, userProperties);
  }

  public MessageProperties withUserProperties(List<UserProperty> properties) {
    return new MessageProperties(
        utf8Payload, contentType, responseTopic, correlationData, properties);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageProperties p
        && utf8Payload == p.utf8Payload
        && Objects.equals(contentType, p.contentType)
        && Objects.equals(responseTopic, p.responseTopic)
        && Arrays.equals(correlationData, p.correlationData)
        && userProperties.equals(p.userProperties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        utf8Payload, contentType, responseTopic, Arrays.hashCode(correlationData), userProperties);
  }

  @Override
  public String toString() {
    return "MessageProperties[utf8="
        + utf8Payload
        + ", contentType="
        + contentType
        + ", responseTopic="
        + responseTopic
        + ", userProperties="
        + userProperties
        + "]";
  }
}
