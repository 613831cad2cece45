package dev.mqttsidecar.component.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.component.pubsub.PubSubSettings.AttributeMode;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Presents an MQTT message to daprd so that daprd can always parse it as a CloudEvent.
 *
 * <p>daprd reads a pluggable component's message like this (dapr/dapr
 * pkg/runtime/subscription/subscription.go): with subscription metadata {@code rawPayload=true} it
 * wraps the bytes itself; with content type {@code application/octet-stream} it rebuilds a
 * "binary-mode" event from {@code ce_*} metadata; with any other content type, including none, the
 * data must be a JSON CloudEvent or the delivery fails. The octet-stream path looks like the way to
 * mark a raw payload, but it does not carry the payload to the app: daprd sets the event's
 * datacontenttype to application/octet-stream and keeps the bytes as raw data, so its gRPC delivery
 * (GRPCEnvelopeFromSubscriptionMessage), which copies data only for text and JSON types, hands the
 * app empty data, and its HTTP delivery posts the raw bytes labelled {@code
 * application/cloudevents+json}. So raw payloads are never sent that way; they are sent as a JSON
 * CloudEvent, which every daprd delivery path (HTTP, gRPC, streaming) handles:
 *
 * <ul>
 *   <li>{@code Propagate}: the envelope daprd itself builds for {@code rawPayload} subscriptions
 *       ({@code FromRawPayload}: random id, source {@code Dapr}, type {@code com.dapr.event.sent},
 *       the bytes in {@code data_base64}), with the MQTT Content Type, if any, as datacontenttype.
 *       SDKs decode data_base64, so apps get the device's bytes unchanged.
 *   <li>{@code CreateOrRemap}: a CloudEvent describing the MQTT message: subject = MQTT topic, time
 *       of delivery, data typed by the MQTT Content Type (or sniffed: JSON, UTF-8 text, bytes), and
 *       MQTT 5 user properties with CloudEvent-compatible names as extension attributes.
 * </ul>
 *
 * <p>CloudEvents pass through unchanged: structured ones (a well-formed JSON object with a string
 * {@code specversion}) as they are, binary-mode ones (a {@code specversion} user property) rebuilt
 * as the equivalent structured event.
 */
final class MqttToDapr {
  static final String MQTT_SOURCE = "mqtt-sidecar";
  static final String MQTT_TYPE = "dev.mqttsidecar.mqtt.message";
  private static final String DAPR_SOURCE = "Dapr";
  private static final String DAPR_TYPE = "com.dapr.event.sent";

  /** What daprd receives in a PullMessagesResponse. */
  record Converted(byte[] data, String contentType, Map<String, String> metadata) {}

  private final AttributeMode mode;
  private final String pubsubName;
  private final Clock clock;

  MqttToDapr(AttributeMode mode, String pubsubName, Clock clock) {
    this.mode = mode;
    this.pubsubName = pubsubName;
    this.clock = clock;
  }

  /**
   * @param message the MQTT message
   * @param daprTopic its topic as Dapr names it
   * @param rawSubscription whether the subscription asked for raw payloads (daprd wraps them)
   */
  Converted convert(Message message, String daprTopic, boolean rawSubscription) {
    List<UserProperty> properties = message.properties().userProperties();
    Map<String, String> metadata = metadata(message, properties);
    String contentType = message.properties().contentType();
    byte[] payload = message.payload();
    if (rawSubscription || metadata.remove(DaprToMqtt.VERBATIM) != null) {
      return new Converted(payload, contentType == null ? "" : contentType, metadata);
    }
    // Precedence of the CloudEvents MQTT binding: the structured Content Type first, then a
    // specversion user property (binary mode). The payload is checked even when the Content Type
    // claims a CloudEvent: a device's malformed event would otherwise fail in daprd on every
    // redelivery.
    boolean structured = CloudEventJson.isCloudEvent(payload);
    if (structured && CloudEventJson.isCloudEventContentType(contentType)) {
      return new Converted(payload, CloudEventJson.CONTENT_TYPE, metadata);
    }
    if (hasProperty(properties, CloudEventJson.SPEC_VERSION)) {
      return new Converted(
          fromBinaryMode(payload, contentType, properties), CloudEventJson.CONTENT_TYPE, metadata);
    }
    if (structured) {
      return new Converted(payload, CloudEventJson.CONTENT_TYPE, metadata);
    }
    ObjectNode event =
        mode == AttributeMode.PROPAGATE
            ? rawEnvelope(payload, contentType, daprTopic)
            : createEvent(message, payload, contentType, daprTopic, properties);
    return new Converted(CloudEventJson.write(event), CloudEventJson.CONTENT_TYPE, metadata);
  }

  private static Map<String, String> metadata(Message message, List<UserProperty> properties) {
    Map<String, String> metadata = new HashMap<>();
    for (UserProperty p : properties) {
      metadata.put(p.name(), p.value());
    }
    if (message.retain()) {
      metadata.put("retained", "true"); // as Dapr's mqtt3 component reports it
    }
    return metadata;
  }

  private static byte[] fromBinaryMode(
      byte[] payload, String contentType, List<UserProperty> properties) {
    ObjectNode event = CloudEventJson.MAPPER.createObjectNode();
    for (UserProperty p : properties) {
      if (CloudEventJson.isAttributeName(p.name())) {
        event.put(p.name(), p.value());
      }
    }
    String type =
        contentType != null ? contentType : textOrNull(event.get(CloudEventJson.DATA_CONTENT_TYPE));
    event.remove(CloudEventJson.DATA_CONTENT_TYPE);
    CloudEventJson.putData(event, payload, type);
    return CloudEventJson.write(event);
  }

  private ObjectNode rawEnvelope(byte[] payload, String contentType, String daprTopic) {
    ObjectNode event = CloudEventJson.MAPPER.createObjectNode();
    event.put("id", UUID.randomUUID().toString());
    event.put(CloudEventJson.SPEC_VERSION, "1.0");
    event.put(
        CloudEventJson.DATA_CONTENT_TYPE,
        contentType != null ? contentType : CloudEventJson.OCTET_STREAM);
    event.put("source", DAPR_SOURCE);
    event.put("type", DAPR_TYPE);
    event.put("topic", daprTopic);
    event.put("pubsubname", pubsubName);
    event.put(CloudEventJson.DATA_BASE64, Base64.getEncoder().encodeToString(payload));
    return event;
  }

  private ObjectNode createEvent(
      Message message,
      byte[] payload,
      String contentType,
      String daprTopic,
      List<UserProperty> properties) {
    ObjectNode event = CloudEventJson.MAPPER.createObjectNode();
    event.put(CloudEventJson.SPEC_VERSION, "1.0");
    event.put("id", UUID.randomUUID().toString());
    event.put("source", MQTT_SOURCE);
    event.put("type", MQTT_TYPE);
    event.put("subject", message.topic());
    event.put("time", clock.instant().toString());
    event.put("topic", daprTopic);
    event.put("pubsubname", pubsubName);
    for (UserProperty p : properties) {
      if (CloudEventJson.isAttributeName(p.name())
          && !event.has(p.name())
          && !p.name().equals(CloudEventJson.DATA_CONTENT_TYPE)) {
        event.put(p.name(), p.value());
      }
    }
    CloudEventJson.putData(event, payload, contentType);
    return event;
  }

  private static boolean hasProperty(List<UserProperty> properties, String name) {
    for (UserProperty p : properties) {
      if (p.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
