package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.component.pubsub.PubSubSettings.AttributeMode;
import dev.mqttsidecar.component.pubsub.PubSubSettings.CloudEventsMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudEvent conversions of pub/sub, both ways, on arbitrary messages. A Dapr publish becomes
 * an MQTT message whose strings MQTT can carry [MQTT-1.5.4], or is refused with an
 * IllegalArgumentException (INVALID_ARGUMENT); whatever reaches daprd from MQTT is a CloudEvent it
 * can parse, unless the publisher or the subscription asked for raw bytes; a structured event comes
 * back to Dapr unchanged, a binary-mode one with its attributes.
 *
 * <p>Input: byte 0 holds flags (bit 0: the message comes from an MQTT device instead of Dapr; bit
 * 1: binary mode; bit 2: rawPayload; bit 3: attributes propagated; bit 4: retained), byte 1 the
 * number of properties. Then UTF-8 lines: the content type, one {@code name=value} line per
 * property (Dapr metadata or MQTT user properties); the payload is the bytes after them.
 */
class CloudEventsFuzzTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-05-06T07:08:09Z"), ZoneOffset.UTC);

  @FuzzTest
  void conversions(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int flags = input[0];
    int propertyCount = input[1] & 0x0F;
    List<String> lines = new ArrayList<>(); // the content type, then the properties
    int start = 2;
    while (lines.size() < propertyCount + 1) {
      int end = indexOf(input, (byte) '\n', start);
      if (end < 0) {
        return;
      }
      lines.add(new String(input, start, end - start, StandardCharsets.UTF_8));
      start = end + 1;
    }
    List<UserProperty> properties = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      int eq = line.indexOf('=');
      properties.add(
          eq < 0
              ? new UserProperty(line, "")
              : new UserProperty(line.substring(0, eq), line.substring(eq + 1)));
    }
    byte[] payload = Arrays.copyOfRange(input, start, input.length);
    AttributeMode attributes =
        (flags & 0x08) != 0 ? AttributeMode.PROPAGATE : AttributeMode.CREATE_OR_REMAP;
    boolean raw = (flags & 0x04) != 0;
    if ((flags & 0x01) != 0) {
      Message fromDevice =
          new Message(
              "devices/d1/events",
              payload,
              Qos.AT_LEAST_ONCE,
              (flags & 0x10) != 0,
              new MessageProperties(false, emptyToNull(lines.get(0)), null, null, properties),
              null);
      assertDaprCanRead(fromDevice, attributes, raw);
    } else {
      CloudEventsMode mode =
          (flags & 0x02) != 0 ? CloudEventsMode.BINARY : CloudEventsMode.STRUCTURED;
      publishedByDapr(payload, lines.get(0), metadata(properties), mode, attributes, raw);
    }
  }

  private static void publishedByDapr(
      byte[] data,
      String contentType,
      Map<String, String> metadata,
      CloudEventsMode mode,
      AttributeMode attributes,
      boolean raw) {
    DaprToMqtt.Converted converted;
    try {
      converted = new DaprToMqtt(mode).convert(data, contentType, metadata, raw);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertMqttString("content type", converted.contentType());
    for (UserProperty p : converted.userProperties()) {
      assertMqttString("user property name", p.name());
      assertMqttString("user property value", p.value());
    }
    Message message =
        new Message(
            "t",
            converted.payload(),
            Qos.AT_LEAST_ONCE,
            false,
            new MessageProperties(
                false, converted.contentType(), null, null, converted.userProperties()),
            null);
    MqttToDapr.Converted back = assertDaprCanRead(message, attributes, false);
    if (raw) {
      return; // daprd gets the bytes in a CloudEvent: asserted above
    }
    if (!CloudEventJson.isCloudEvent(data)) {
      assertThat(back.data()).as("bytes a Dapr publisher sent verbatim").isEqualTo(data);
    } else if (mode == CloudEventsMode.STRUCTURED) {
      assertThat(back.data()).as("a structured event").isEqualTo(data);
    } else {
      assertThat(CloudEventJson.isCloudEvent(back.data())).as("a binary-mode event").isTrue();
      assertAttributesKept(
          CloudEventJson.parseObject(data), CloudEventJson.parseObject(back.data()));
    }
  }

  /** What daprd receives: a CloudEvent, unless the bytes go through untouched. */
  private static MqttToDapr.Converted assertDaprCanRead(
      Message message, AttributeMode attributes, boolean rawSubscription) {
    MqttToDapr.Converted converted =
        new MqttToDapr(attributes, "pubsub", CLOCK).convert(message, "d1/events", rawSubscription);
    boolean verbatim =
        message.properties().userProperties().stream()
            .anyMatch(p -> p.name().equals(DaprToMqtt.VERBATIM));
    if (!rawSubscription && !verbatim) {
      assertThat(CloudEventJson.isCloudEvent(converted.data()))
          .as(
              "a CloudEvent daprd can parse: %s",
              new String(converted.data(), StandardCharsets.UTF_8))
          .isTrue();
      assertThat(converted.contentType()).isEqualTo(CloudEventJson.CONTENT_TYPE);
    }
    return converted;
  }

  /** The context attributes of the CloudEvents spec survive binary mode when they are strings. */
  private static void assertAttributesKept(JsonNode sent, JsonNode received) {
    for (String name : List.of("specversion", "id", "source", "type", "subject", "time")) {
      JsonNode value = sent.get(name);
      if (value != null && value.isTextual()) {
        assertThat(received.get(name)).as(name).isEqualTo(value);
      }
    }
  }

  /** [MQTT-1.5.4-1], [MQTT-1.5.4-2]: well-formed UTF-8 without U+0000, at most 65535 bytes. */
  private static void assertMqttString(String what, String s) {
    if (s == null) {
      return;
    }
    assertThat(s).as(what).doesNotContain("\u0000");
    assertThat(s.getBytes(StandardCharsets.UTF_8).length)
        .as(what + " bytes")
        .isLessThanOrEqualTo(65535);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else {
        assertThat(Character.isSurrogate(c)).as(what + " has an unpaired surrogate").isFalse();
      }
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, String> metadata(List<UserProperty> properties) {
    Map<String, String> metadata = new LinkedHashMap<>();
    properties.forEach(p -> metadata.put(p.name(), p.value()));
    return metadata;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
