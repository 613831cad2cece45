package dev.mqttsidecar.component.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mqttsidecar.broker.MqttStrings;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.component.pubsub.PubSubSettings.CloudEventsMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns what daprd publishes into an MQTT payload, Content Type and user properties, following the
 * CloudEvents MQTT protocol binding: structured mode keeps the JSON event as the payload; binary
 * mode sends the event's data as the payload, {@code datacontenttype} as Content Type and the other
 * attributes as user properties named like the attributes.
 */
final class DaprToMqtt {
  /**
   * User property on messages whose Dapr publisher handed over bytes that are neither a CloudEvent
   * nor flagged {@code rawPayload}: such a publisher (Dapr's conformance suite, a direct gRPC
   * client) expects subscribers to get the bytes unchanged, so inbound conversion leaves them
   * alone. Only this class sets it: a publisher's metadata entry or binary-mode attribute of that
   * name is dropped, or subscribers' daprd would get a binary-mode event's data as the bytes.
   */
  static final String VERBATIM = "mqtt-sidecar-verbatim";

  /** Request metadata the component consumes; everything else becomes a user property. */
  static final Set<String> CONTROL_KEYS = Set.of("retain", "qos", "ttlInSeconds", "rawPayload");

  /** The MQTT form of a published message. */
  record Converted(byte[] payload, String contentType, List<UserProperty> userProperties) {
    /**
     * @throws IllegalArgumentException when a string is not one MQTT can carry ({@link
     *     MqttStrings})
     */
    Converted {
      if (contentType != null) {
        requireMqttString("the content type", contentType);
      }
      for (UserProperty p : userProperties) {
        // From request metadata, or from a CloudEvent attribute in binary mode.
        requireMqttString("the name of user property '" + shorten(p.name()) + "'", p.name());
        requireMqttString("user property '" + shorten(p.name()) + "'", p.value());
      }
    }
  }

  private final CloudEventsMode mode;

  DaprToMqtt(CloudEventsMode mode) {
    this.mode = mode;
  }

  /**
   * @param data the published bytes: a JSON CloudEvent unless {@code rawPayload} is set
   * @param contentType the request's content type, or "" (daprd leaves it empty on Publish)
   * @param metadata request metadata
   * @param rawPayload whether the publisher asked for no CloudEvent envelope
   * @throws IllegalArgumentException if a binary-mode event's {@code data_base64} is not base64, or
   *     the content type, a metadata entry or (binary mode) an attribute is not a string MQTT can
   *     carry
   */
  Converted convert(
      byte[] data, String contentType, Map<String, String> metadata, boolean rawPayload) {
    if (!rawPayload && CloudEventJson.isCloudEvent(data)) {
      if (mode == CloudEventsMode.STRUCTURED) {
        return new Converted(data, CloudEventJson.CONTENT_TYPE, userProperties(metadata, Set.of()));
      }
      return binary(CloudEventJson.parseObject(data), metadata);
    }
    String type = !contentType.isEmpty() ? contentType : metadata.get("contentType");
    List<UserProperty> properties = userProperties(metadata, Set.of());
    if (!rawPayload) {
      properties = new ArrayList<>(properties);
      properties.add(new UserProperty(VERBATIM, "true"));
    }
    return new Converted(data, type, properties);
  }

  private Converted binary(ObjectNode event, Map<String, String> metadata) {
    JsonNode typeNode = event.get(CloudEventJson.DATA_CONTENT_TYPE);
    String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
    byte[] payload;
    JsonNode base64 = event.get(CloudEventJson.DATA_BASE64);
    JsonNode data = event.get(CloudEventJson.DATA);
    if (base64 != null && base64.isTextual()) {
      payload = Base64.getDecoder().decode(base64.asText());
    } else if (data == null) {
      payload = new byte[0];
    } else if (data.isTextual() && type != null && !CloudEventJson.isJson(type)) {
      payload = data.asText().getBytes(StandardCharsets.UTF_8);
    } else {
      payload = CloudEventJson.write(data);
      type = type == null ? "application/json" : type; // [CE 1.0 JSON format 3.1] JSON when absent
    }
    List<UserProperty> properties = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Map.Entry<String, JsonNode> field : event.properties()) {
      String name = field.getKey();
      if (name.equals(VERBATIM)
          || name.equals(CloudEventJson.DATA)
          || name.equals(CloudEventJson.DATA_BASE64)
          || name.equals(CloudEventJson.DATA_CONTENT_TYPE)) {
        continue;
      }
      JsonNode value = field.getValue();
      properties.add(new UserProperty(name, value.isTextual() ? value.asText() : value.toString()));
      names.add(name);
    }
    properties.addAll(userProperties(metadata, names));
    return new Converted(payload, type, properties);
  }

  private static void requireMqttString(String what, String s) {
    String problem = MqttStrings.problem(s);
    if (problem != null) {
      throw new IllegalArgumentException(what + " " + problem + ", which MQTT does not allow");
    }
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** Non-control metadata in key order, skipping names already used. */
  private static List<UserProperty> userProperties(
      Map<String, String> metadata, Set<String> taken) {
    if (metadata.isEmpty()) {
      return List.of();
    }
    List<UserProperty> properties = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
      if (!CONTROL_KEYS.contains(e.getKey())
          && !taken.contains(e.getKey())
          && !e.getKey().equals(VERBATIM)) {
        properties.add(new UserProperty(e.getKey(), e.getValue()));
      }
    }
    return properties;
  }
}
