package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.component.pubsub.CloudEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a dataflow does about CloudEvents on the way out, with the pub/sub component's names and the
 * CloudEvents MQTT protocol binding: {@code Propagate} forwards every message as it is; {@code
 * CreateOrRemap} makes every message a CloudEvent in the configured mode. In binary mode the
 * attributes are MQTT 5 user properties named like the attributes and {@code datacontenttype} is
 * the Content Type; in structured mode the payload is the JSON event with Content Type {@code
 * application/cloudevents+json}. An event in the other mode is remapped; a message that is no event
 * gets one: {@code specversion 1.0}, a random {@code id}, {@code source
 * mqtt-sidecar/dataflows/<flow>}, {@code type dev.mqttsidecar.dataflow.message}, {@code subject}
 * the source topic and {@code time} of forwarding.
 */
public final class CloudEventsHandling {
  public static final CloudEventsHandling PROPAGATE = new CloudEventsHandling(false, Mode.BINARY);
  static final String TYPE = "dev.mqttsidecar.dataflow.message";

  /** How a created or remapped event is carried. */
  public enum Mode {
    BINARY,
    STRUCTURED
  }

  private final boolean createOrRemap;
  private final Mode mode;
  private final Clock clock;

  public CloudEventsHandling(boolean createOrRemap, Mode mode) {
    this(createOrRemap, mode, Clock.systemUTC());
  }

  CloudEventsHandling(boolean createOrRemap, Mode mode, Clock clock) {
    this.createOrRemap = createOrRemap;
    this.mode = mode;
    this.clock = clock;
  }

  public boolean createOrRemap() {
    return createOrRemap;
  }

  public Mode mode() {
    return mode;
  }

  /**
   * @param out the message as the flow will send it (topic mapped, payload converted)
   * @param sourceTopic the topic it came on: the subject of a created event
   */
  FlowMessage apply(FlowMessage out, String sourceTopic, String flow) {
    if (!createOrRemap) {
      return out;
    }
    boolean binary = hasAttribute(out.userProperties(), CloudEventJson.SPEC_VERSION);
    boolean structured = !binary && CloudEventJson.isCloudEvent(out.payload());
    if (mode == Mode.BINARY) {
      if (binary) {
        return out;
      }
      return structured ? toBinary(out) : createBinary(out, sourceTopic, flow);
    }
    if (structured) {
      return with(out, out.payload(), CloudEventJson.CONTENT_TYPE, out.userProperties());
    }
    ObjectNode event = CloudEventJson.MAPPER.createObjectNode();
    List<UserProperty> others = new ArrayList<>();
    if (binary) {
      for (UserProperty p : out.userProperties()) {
        if (CloudEventJson.isAttributeName(p.name())) {
          event.put(p.name(), p.value());
        } else {
          others.add(p);
        }
      }
    } else {
      created(sourceTopic, flow).forEach(event::put);
      others = out.userProperties();
    }
    JsonNode declared = event.remove(CloudEventJson.DATA_CONTENT_TYPE);
    String type =
        out.contentType() != null
            ? out.contentType()
            : declared != null && declared.isTextual() ? declared.asText() : null;
    CloudEventJson.putData(event, out.payload(), type);
    return with(out, CloudEventJson.write(event), CloudEventJson.CONTENT_TYPE, others);
  }

  private FlowMessage createBinary(FlowMessage out, String sourceTopic, String flow) {
    List<UserProperty> properties = new ArrayList<>();
    created(sourceTopic, flow)
        .forEach((name, value) -> properties.add(new UserProperty(name, value)));
    properties.addAll(out.userProperties());
    return with(out, out.payload(), out.contentType(), properties);
  }

  /** A structured event's data as the payload, its attributes as user properties. */
  private static FlowMessage toBinary(FlowMessage out) {
    ObjectNode event = CloudEventJson.parseObject(out.payload());
    JsonNode declared = event.get(CloudEventJson.DATA_CONTENT_TYPE);
    String type = declared != null && declared.isTextual() ? declared.asText() : null;
    JsonNode base64 = event.get(CloudEventJson.DATA_BASE64);
    JsonNode data = event.get(CloudEventJson.DATA);
    byte[] payload;
    if (base64 != null && base64.isTextual()) {
      try {
        payload = Base64.getDecoder().decode(base64.asText());
      } catch (IllegalArgumentException e) {
        throw new FlowMessageException("the CloudEvent's data_base64 is not base64");
      }
    } else if (data == null || data.isNull()) {
      payload = new byte[0];
    } else if (data.isTextual() && type != null && !CloudEventJson.isJson(type)) {
      payload = data.asText().getBytes(StandardCharsets.UTF_8);
    } else {
      payload = CloudEventJson.write(data);
      type = type == null ? "application/json" : type; // [CE 1.0 JSON format 3.1]
    }
    List<UserProperty> properties = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : event.properties()) {
      String name = field.getKey();
      if (!name.equals(CloudEventJson.DATA)
          && !name.equals(CloudEventJson.DATA_BASE64)
          && !name.equals(CloudEventJson.DATA_CONTENT_TYPE)) {
        JsonNode value = field.getValue();
        properties.add(
            new UserProperty(name, value.isTextual() ? value.asText() : value.toString()));
      }
    }
    for (UserProperty p : out.userProperties()) {
      if (!hasAttribute(properties, p.name())) {
        properties.add(p);
      }
    }
    return with(out, payload, type, properties);
  }

  private Map<String, String> created(String sourceTopic, String flow) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(CloudEventJson.SPEC_VERSION, "1.0");
    attributes.put("id", UUID.randomUUID().toString());
    attributes.put("source", "mqtt-sidecar/dataflows/" + flow);
    attributes.put("type", TYPE);
    attributes.put("subject", sourceTopic);
    attributes.put("time", clock.instant().toString());
    return attributes;
  }

  private static FlowMessage with(
      FlowMessage m, byte[] payload, String contentType, List<UserProperty> properties) {
    return new FlowMessage(
        m.topic(), payload, m.qos(), m.retain(), contentType, List.copyOf(properties));
  }

  private static boolean hasAttribute(List<UserProperty> properties, String name) {
    return properties.stream().anyMatch(p -> p.name().equals(name));
  }
}
