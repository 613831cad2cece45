package dev.mqttsidecar.component.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.component.dataflow.CloudEventsHandling.Mode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Propagate and CreateOrRemap in both modes of the CloudEvents MQTT binding. */
class CloudEventsHandlingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-04T10:15:30Z"), ZoneOffset.UTC);
  private static final String EVENT =
      "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/devices/d-1\",\"type\":\"reading\","
          + "\"datacontenttype\":\"application/json\",\"data\":{\"temp\":21.5}}";

  private static FlowMessage message(String payload, String contentType, UserProperty... props) {
    return new FlowMessage(
        "plants/d-1/telemetry",
        payload.getBytes(StandardCharsets.UTF_8),
        1,
        false,
        contentType,
        List.of(props));
  }

  private static FlowMessage apply(Mode mode, FlowMessage m) {
    return new CloudEventsHandling(true, mode, CLOCK).apply(m, "devices/d-1/telemetry", "up");
  }

  private static Map<String, String> properties(FlowMessage m) {
    Map<String, String> map = new LinkedHashMap<>();
    m.userProperties().forEach(p -> map.put(p.name(), p.value()));
    return map;
  }

  @Test
  void propagateForwardsEveryMessageAsItIs() {
    FlowMessage m = message("{\"temp\":1}", null, new UserProperty("k", "v"));

    assertThat(CloudEventsHandling.PROPAGATE.apply(m, "devices/d-1/telemetry", "up")).isSameAs(m);
  }

  @Test
  void binaryModeGivesAPlainMessageTheAttributesAsUserProperties() {
    FlowMessage out =
        apply(Mode.BINARY, message("{\"temp\":1}", "application/json", new UserProperty("k", "v")));

    Map<String, String> p = properties(out);
    assertThat(p)
        .containsEntry("specversion", "1.0")
        .containsEntry("source", "mqtt-sidecar/dataflows/up")
        .containsEntry("type", "dev.mqttsidecar.dataflow.message")
        .containsEntry("subject", "devices/d-1/telemetry")
        .containsEntry("time", "2026-12-04T10:15:30Z")
        .containsEntry("k", "v")
        .containsKey("id")
        .doesNotContainKey("datacontenttype"); // the Content Type carries it in binary mode
    assertThat(new String(out.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"temp\":1}");
    assertThat(out.contentType()).isEqualTo("application/json");
    assertThat(out.topic()).isEqualTo("plants/d-1/telemetry");
  }

  @Test
  void binaryModeRemapsAStructuredEvent() throws Exception {
    FlowMessage out = apply(Mode.BINARY, message(EVENT, "application/cloudevents+json"));

    assertThat(JSON.readTree(out.payload())).isEqualTo(JSON.readTree("{\"temp\":21.5}"));
    assertThat(out.contentType()).isEqualTo("application/json");
    assertThat(properties(out))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("specversion", "1.0", "id", "e-1", "source", "/devices/d-1", "type", "reading"));
  }

  @Test
  void binaryModeKeepsABinaryEvent() {
    FlowMessage m =
        message(
            "21.5",
            "text/plain",
            new UserProperty("specversion", "1.0"),
            new UserProperty("id", "x"));

    assertThat(apply(Mode.BINARY, m)).isSameAs(m);
  }

  @Test
  void structuredModeWrapsAPlainMessage() throws Exception {
    FlowMessage out =
        apply(Mode.STRUCTURED, message("{\"temp\":1}", null, new UserProperty("k", "v")));

    JsonNode event = JSON.readTree(out.payload());
    assertThat(out.contentType()).isEqualTo("application/cloudevents+json");
    assertThat(event.get("specversion").asText()).isEqualTo("1.0");
    assertThat(event.get("subject").asText()).isEqualTo("devices/d-1/telemetry");
    assertThat(event.get("time").asText()).isEqualTo("2026-12-04T10:15:30Z");
    assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(event.get("data")).isEqualTo(JSON.readTree("{\"temp\":1}"));
    assertThat(properties(out)).containsExactlyEntriesOf(Map.of("k", "v"));
  }

  @Test
  void structuredModeCarriesBinaryPayloadsAsBase64() throws Exception {
    byte[] protobuf = {8, -106, 1, 0, -1};
    FlowMessage m = new FlowMessage("t", protobuf, 0, false, "application/x-protobuf", List.of());

    JsonNode event = JSON.readTree(apply(Mode.STRUCTURED, m).payload());

    assertThat(event.get("datacontenttype").asText()).isEqualTo("application/x-protobuf");
    assertThat(Base64.getDecoder().decode(event.get("data_base64").asText())).isEqualTo(protobuf);
  }

  @Test
  void structuredModeRebuildsABinaryEventAndKeepsAStructuredOne() throws Exception {
    FlowMessage binary =
        message(
            "{\"temp\":2}",
            "application/json",
            new UserProperty("specversion", "1.0"),
            new UserProperty("id", "e-2"),
            new UserProperty("source", "/d"),
            new UserProperty("type", "t"),
            new UserProperty("Not-An-Attribute", "x"));

    FlowMessage out = apply(Mode.STRUCTURED, binary);

    assertThat(JSON.readTree(out.payload()))
        .isEqualTo(
            JSON.readTree(
                "{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"/d\",\"type\":\"t\","
                    + "\"datacontenttype\":\"application/json\",\"data\":{\"temp\":2}}"));
    assertThat(properties(out)).containsExactlyEntriesOf(Map.of("Not-An-Attribute", "x"));

    FlowMessage structured = apply(Mode.STRUCTURED, message(EVENT, null));
    assertThat(new String(structured.payload(), StandardCharsets.UTF_8)).isEqualTo(EVENT);
    assertThat(structured.contentType()).isEqualTo("application/cloudevents+json");
  }
}
