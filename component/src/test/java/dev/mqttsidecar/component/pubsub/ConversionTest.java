package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.component.pubsub.PubSubSettings.AttributeMode;
import dev.mqttsidecar.component.pubsub.PubSubSettings.CloudEventsMode;
import dev.mqttsidecar.dapr.MetadataValues;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts: value parsing, backoff, CloudEvent detection and conversion edge cases. */
class ConversionTest {

  @Test
  void durationsAreSecondsOrNumbersWithUnits() {
    assertThat(MetadataValues.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(MetadataValues.parseDuration("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(MetadataValues.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(MetadataValues.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(MetadataValues.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(MetadataValues.parseDuration("-1s")).isNull();
    assertThat(MetadataValues.parseDuration("soon")).isNull();
    assertThat(MetadataValues.parseDuration("Infinity")).isNull();
  }

  @Test
  void backoffDoublesUpToTheCap() {
    RedeliveryPolicy policy = new RedeliveryPolicy(Duration.ofSeconds(1), 0, null);
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.backoff(1000)).isEqualTo(RedeliveryPolicy.MAX_BACKOFF);
    assertThat(new RedeliveryPolicy(Duration.ZERO, 0, null).backoff(50)).isZero();
    assertThat(new RedeliveryPolicy(Duration.ofMillis(10), 3, "dlq").onFailure(3))
        .isEqualTo(new RedeliveryPolicy.DeadLetter("dlq"));
    assertThat(new RedeliveryPolicy(Duration.ofMillis(10), 3, null).onFailure(3))
        .isInstanceOf(RedeliveryPolicy.Discard.class);
    assertThat(new RedeliveryPolicy(Duration.ofMillis(10), 3, null).onFailure(2))
        .isEqualTo(new RedeliveryPolicy.Redeliver(Duration.ofMillis(20)));
  }

  @Test
  void onlyWellFormedJsonObjectsWithASpecversionAreCloudEvents() {
    assertThat(
            CloudEventJson.isCloudEvent(utf8(" {\"specversion\":\"1.0\",\"data\":{\"a\":[1,2]}}")))
        .isTrue();
    assertThat(CloudEventJson.isCloudEvent(utf8("{\"data\":{\"specversion\":\"1.0\"}}"))).isFalse();
    assertThat(CloudEventJson.isCloudEvent(utf8("{\"specversion\":1}"))).isFalse();
    assertThat(CloudEventJson.isCloudEvent(utf8("{\"specversion\":\"1.0\""))).isFalse();
    assertThat(CloudEventJson.isCloudEvent(utf8("{\"specversion\":\"1.0\"} trailing"))).isFalse();
    assertThat(CloudEventJson.isCloudEvent(utf8("[1,2]"))).isFalse();
    assertThat(CloudEventJson.isCloudEvent(new byte[0])).isFalse();
  }

  @Test
  void binaryModeDecodesDataBase64AndKeepsJsonData() {
    DaprToMqtt binary = new DaprToMqtt(CloudEventsMode.BINARY);
    DaprToMqtt.Converted bytes =
        binary.convert(
            utf8(
                "{\"specversion\":\"1.0\",\"id\":\"1\","
                    + "\"datacontenttype\":\"application/octet-stream\",\"data_base64\":\"AAEC\"}"),
            "",
            Map.of(),
            false);
    assertThat(bytes.payload()).containsExactly(0, 1, 2);
    assertThat(bytes.contentType()).isEqualTo("application/octet-stream");
    DaprToMqtt.Converted json =
        binary.convert(
            utf8("{\"specversion\":\"1.0\",\"id\":\"2\",\"data\":{\"a\":1},\"n\":5}"),
            "",
            Map.of("id", "x"),
            false);
    assertThat(new String(json.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    assertThat(json.contentType()).isEqualTo("application/json");
    assertThat(json.userProperties())
        .containsExactly(
            new UserProperty("specversion", "1.0"),
            new UserProperty("id", "2"),
            new UserProperty("n", "5"));
  }

  @Test
  void rawPublishesAreNotMarkedVerbatimButUnflaggedNonEventsAre() {
    DaprToMqtt structured = new DaprToMqtt(CloudEventsMode.STRUCTURED);
    assertThat(structured.convert(utf8("x"), "text/plain", Map.of(), true).userProperties())
        .isEmpty();
    assertThat(structured.convert(utf8("x"), "", Map.of(), false).userProperties())
        .containsExactly(new UserProperty(DaprToMqtt.VERBATIM, "true"));
  }

  @Test
  void aPublisherCannotSetTheVerbatimMarkerSoABinaryModeEventReachesDaprAsAnEvent() {
    DaprToMqtt binary = new DaprToMqtt(CloudEventsMode.BINARY);
    DaprToMqtt.Converted converted =
        binary.convert(
            utf8(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"data\":\"x\","
                    + "\"mqtt-sidecar-verbatim\":\"true\"}"),
            "",
            Map.of(DaprToMqtt.VERBATIM, "true"),
            false);
    assertThat(converted.userProperties())
        .containsExactly(new UserProperty("specversion", "1.0"), new UserProperty("id", "1"));
    Message message =
        new Message(
            "t",
            converted.payload(),
            Qos.AT_LEAST_ONCE,
            false,
            new MessageProperties(
                false, converted.contentType(), null, null, converted.userProperties()),
            null);
    MqttToDapr.Converted toDapr =
        new MqttToDapr(AttributeMode.PROPAGATE, "ps", Clock.systemUTC())
            .convert(message, "t", false);
    assertThat(CloudEventJson.isCloudEvent(toDapr.data())).isTrue();
  }

  @Test
  void jsonThatIsNotUtf8ReachesDaprAsBytes() {
    // 0xF5 never occurs in UTF-8; JSON is UTF-8 (RFC 8259 section 8.1).
    byte[] payload = latin1("{\"k\u00F5\u00A1\u00A1\u00A1\":1}");
    assertThat(
            CloudEventJson.isCloudEvent(latin1("{\"specversion\":\"\u00F5\u00A1\u00A1\u00A1\"}")))
        .isFalse();
    MqttToDapr convert = new MqttToDapr(AttributeMode.CREATE_OR_REMAP, "ps", Clock.systemUTC());
    Message message =
        new Message(
            "t",
            payload,
            Qos.AT_LEAST_ONCE,
            false,
            new MessageProperties(false, "application/json", null, null, List.of()),
            null);
    byte[] data = convert.convert(message, "t", false).data();
    assertThat(CloudEventJson.isCloudEvent(data)).isTrue();
    JsonNode parsed = PubSubTestBase.json(com.google.protobuf.ByteString.copyFrom(data));
    assertThat(parsed.path("data_base64").asText())
        .isEqualTo(java.util.Base64.getEncoder().encodeToString(payload));
  }

  @Test
  void inboundJsonWithAnInvalidDeclaredTypeFallsBackToBase64() {
    MqttToDapr convert = new MqttToDapr(AttributeMode.CREATE_OR_REMAP, "ps", Clock.systemUTC());
    Message message =
        new Message(
            "t",
            utf8("{not json"),
            Qos.AT_LEAST_ONCE,
            false,
            new MessageProperties(false, "application/json", null, null, List.of()),
            null);
    JsonNode event =
        PubSubTestBase.json(
            com.google.protobuf.ByteString.copyFrom(convert.convert(message, "t", false).data()));
    assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(event.has("data")).isFalse();
    assertThat(event.path("data_base64").asText()).isNotEmpty();
  }

  @Test
  void aPayloadThatOnlyClaimsToBeACloudEventIsWrapped() {
    MqttToDapr convert = new MqttToDapr(AttributeMode.PROPAGATE, "ps", Clock.systemUTC());
    Message message =
        new Message(
            "t",
            utf8("garbage"),
            Qos.AT_LEAST_ONCE,
            false,
            new MessageProperties(false, "application/cloudevents+json", null, null, List.of()),
            null);
    MqttToDapr.Converted converted = convert.convert(message, "t", false);
    JsonNode event = PubSubTestBase.json(com.google.protobuf.ByteString.copyFrom(converted.data()));
    assertThat(event.path("specversion").asText()).isEqualTo("1.0");
    assertThat(event.path("data_base64").asText()).isEqualTo("Z2FyYmFnZQ==");
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shareNamesOfDifferentPartsNeverCollide() {
    assertThat(TopicMapper.shareName("a.b", "c")).isNotEqualTo(TopicMapper.shareName("a", "b.c"));
    assertThat(TopicMapper.shareName("x/y", "c")).isNotEqualTo(TopicMapper.shareName("x_y", "c"));
    assertThat(TopicMapper.shareName("store", "a+b#c/d%e"))
        .isEqualTo("store.a%2Bb%23c%2Fd%25e")
        .doesNotContain("/", "+", "#"); // [MQTT-4.8.2-2]
  }
}
