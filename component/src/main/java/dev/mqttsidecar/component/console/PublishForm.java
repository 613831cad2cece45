package dev.mqttsidecar.component.console;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.MqttStrings;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What the console's publish form (and its retained and state editors) send: a message with its
 * MQTT 5 properties. The payload is text, or base64 when {@code payloadBase64} is set.
 *
 * @param messageExpiry seconds, or null for never (MQTT 5 Message Expiry Interval)
 * @param correlationData text, sent as its UTF-8 bytes
 * @param userProperties name/value pairs
 */
public record PublishForm(
    String topic,
    String payload,
    String payloadBase64,
    Integer qos,
    Boolean retain,
    String contentType,
    Long messageExpiry,
    String responseTopic,
    String correlationData,
    List<List<String>> userProperties) {

  /** The message this form describes, published at {@code now}. */
  public Message toMessage(Instant now) {
    if (topic == null || topic.isEmpty()) {
      throw new BadRequest("topic is required");
    }
    int q = qos == null ? 0 : qos;
    if (q < 0 || q > 2) {
      throw new BadRequest("qos must be 0, 1 or 2, was " + q);
    }
    if (messageExpiry != null && (messageExpiry < 1 || messageExpiry > 0xFFFF_FFFFL)) {
      // MQTT 5.0 §3.3.2.3.3: a Four Byte Integer number of seconds.
      throw new BadRequest("messageExpiry must be from 1 to 4294967295 seconds");
    }
    if (responseTopic != null && (responseTopic.contains("+") || responseTopic.contains("#"))) {
      throw new BadRequest("responseTopic must not contain wildcards [MQTT-3.3.2-14]");
    }
    boolean utf8 = payloadBase64 == null;
    MessageProperties properties =
        new MessageProperties(
            utf8 && payload != null && !payload.isEmpty(),
            checked("contentType", contentType),
            checked("responseTopic", responseTopic),
            correlationData == null || correlationData.isEmpty()
                ? null
                : correlationData.getBytes(StandardCharsets.UTF_8),
            users());
    return new Message(
        topic,
        payloadBytes(),
        Qos.of(q),
        retain != null && retain,
        properties,
        messageExpiry == null ? null : now.plusSeconds(messageExpiry));
  }

  private byte[] payloadBytes() {
    if (payloadBase64 != null) {
      try {
        return Base64.getDecoder().decode(payloadBase64);
      } catch (IllegalArgumentException e) {
        throw new BadRequest("payloadBase64 is not base64: " + e.getMessage());
      }
    }
    return payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
  }

  private List<UserProperty> users() {
    List<UserProperty> out = new ArrayList<>();
    if (userProperties == null) {
      return out;
    }
    for (List<String> pair : userProperties) {
      if (pair == null || pair.size() != 2 || pair.get(0) == null || pair.get(1) == null) {
        throw new BadRequest("each user property is a [name, value] pair");
      }
      out.add(
          new UserProperty(
              checked("user property name", pair.get(0)),
              checked("user property value", pair.get(1))));
    }
    return out;
  }

  /** An MQTT UTF-8 string or a 400 naming the field [MQTT-1.5.4-1], [MQTT-1.5.4-2]. */
  private static String checked(String field, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    String problem = MqttStrings.problem(value);
    if (problem != null) {
      throw new BadRequest(field + ": " + problem);
    }
    return value;
  }
}
