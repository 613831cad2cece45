package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MQTT devices and Dapr apps on the same topics, both ways, in both CloudEvents modes. */
class DeviceInteropTest extends PubSubTestBase {

  // ---- device -> Dapr ----

  @Test
  void propagateWrapsARawDevicePayloadTheWayDaprdWrapsRawPayloads() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "sensors/temp", Map.of())) {
      awaitSubscribers("sensors/temp", 1);
      Mqtt3BlockingClient device = Devices.mqtt3(sidecar.mqttPort());
      device
          .publishWith()
          .topic("sensors/temp")
          .payload(utf8("[21.5, 22.0]"))
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      device.disconnect();
      PullMessagesResponse m = stream.next(WAIT);
      assertThat(m.getContentType()).isEqualTo("application/cloudevents+json");
      JsonNode event = json(m.getData());
      assertThat(event.path("specversion").asText()).isEqualTo("1.0");
      assertThat(event.path("id").asText()).isNotEmpty();
      assertThat(event.path("source").asText()).isEqualTo("Dapr");
      assertThat(event.path("type").asText()).isEqualTo("com.dapr.event.sent");
      assertThat(event.path("datacontenttype").asText()).isEqualTo("application/octet-stream");
      assertThat(event.path("topic").asText()).isEqualTo("sensors/temp");
      assertThat(event.path("pubsubname").asText()).isEqualTo(pubsub);
      assertThat(
              new String(
                  Base64.getDecoder().decode(event.path("data_base64").asText()),
                  StandardCharsets.UTF_8))
          .isEqualTo("[21.5, 22.0]");
      stream.ack(m);
    }
  }

  @Test
  void createOrRemapBuildsACloudEventDescribingTheMqttMessage() throws Exception {
    String pubsub =
        init(
            component()
                .with("cloudEventAttributes", "CreateOrRemap")
                .with("topicPrefix", "plant/"));
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "line/+/temp", Map.of())) {
      awaitSubscribers("plant/line/1/temp", 1);
      Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
      device
          .publishWith()
          .topic("plant/line/1/temp")
          .payload(utf8("{\"celsius\":21.5}"))
          .contentType("application/json")
          .userProperties()
          .add("site", "berlin")
          .add("Not-An-Attr", "x")
          .applyUserProperties()
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      Mqtt3BlockingClient plain = Devices.mqtt3(sidecar.mqttPort());
      plain
          .publishWith()
          .topic("plant/line/2/temp")
          .payload(utf8("twenty"))
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      plain
          .publishWith()
          .topic("plant/line/3/temp")
          .payload(new byte[] {(byte) 0xff, 0, 1})
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      device.disconnect();
      plain.disconnect();

      PullMessagesResponse json = stream.next(WAIT);
      JsonNode e1 = json(json.getData());
      assertThat(json.getTopicName()).isEqualTo("line/1/temp");
      assertThat(e1.path("subject").asText()).isEqualTo("plant/line/1/temp");
      assertThat(e1.path("source").asText()).isEqualTo("mqtt-sidecar");
      assertThat(e1.path("type").asText()).isEqualTo("dev.mqttsidecar.mqtt.message");
      assertThat(e1.path("time").asText()).isNotEmpty();
      assertThat(e1.path("id").asText()).isNotEmpty();
      assertThat(e1.path("datacontenttype").asText()).isEqualTo("application/json");
      assertThat(e1.path("data").path("celsius").asDouble()).isEqualTo(21.5);
      assertThat(e1.path("site").asText()).as("user property as extension").isEqualTo("berlin");
      assertThat(json.getMetadataMap())
          .containsEntry("site", "berlin")
          .containsEntry("Not-An-Attr", "x");
      stream.ack(json);

      PullMessagesResponse text = stream.next(WAIT);
      JsonNode e2 = json(text.getData());
      assertThat(e2.path("datacontenttype").asText()).isEqualTo("text/plain");
      assertThat(e2.path("data").asText()).isEqualTo("twenty");
      stream.ack(text);

      PullMessagesResponse bytes = stream.next(WAIT);
      JsonNode e3 = json(bytes.getData());
      assertThat(e3.path("datacontenttype").asText()).isEqualTo("application/octet-stream");
      assertThat(Base64.getDecoder().decode(e3.path("data_base64").asText()))
          .containsExactly(0xff, 0, 1);
      stream.ack(bytes);
    }
  }

  @Test
  void aDeviceCloudEventPassesThroughInEitherForm() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "events", Map.of())) {
      awaitSubscribers("events", 1);
      // Structured, from an MQTT 3.1.1 device (no Content Type to say so).
      byte[] structured = cloudEvent("events", "structured-data");
      Mqtt3BlockingClient v3 = Devices.mqtt3(sidecar.mqttPort());
      v3.publishWith().topic("events").payload(structured).qos(MqttQos.AT_LEAST_ONCE).send();
      v3.disconnect();
      PullMessagesResponse m1 = stream.next(WAIT);
      assertThat(m1.getData().toByteArray()).isEqualTo(structured);
      assertThat(m1.getContentType()).isEqualTo("application/cloudevents+json");
      stream.ack(m1);

      // Binary mode (CloudEvents MQTT binding): attributes as user properties, data as payload.
      Mqtt5BlockingClient v5 = Devices.mqtt5(sidecar.mqttPort());
      v5.publishWith()
          .topic("events")
          .payload(utf8("{\"level\":3}"))
          .contentType("application/json")
          .userProperties()
          .add("specversion", "1.0")
          .add("id", "dev-42")
          .add("source", "urn:device:7")
          .add("type", "com.example.alarm")
          .applyUserProperties()
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      v5.disconnect();
      PullMessagesResponse m2 = stream.next(WAIT);
      JsonNode event = json(m2.getData());
      assertThat(m2.getContentType()).isEqualTo("application/cloudevents+json");
      assertThat(event.path("id").asText()).isEqualTo("dev-42");
      assertThat(event.path("source").asText()).isEqualTo("urn:device:7");
      assertThat(event.path("type").asText()).isEqualTo("com.example.alarm");
      assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
      assertThat(event.path("data").path("level").asInt()).isEqualTo(3);
      stream.ack(m2);
    }
  }

  @Test
  void aRawPayloadSubscriptionGetsTheBytesAsPublished() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream =
        DaprStream.open(daprd(), pubsub, "raw", Map.of("rawPayload", "true"))) {
      awaitSubscribers("raw", 1);
      Mqtt3BlockingClient device = Devices.mqtt3(sidecar.mqttPort());
      device.publishWith().topic("raw").payload(utf8("not json")).qos(MqttQos.AT_LEAST_ONCE).send();
      device.disconnect();
      PullMessagesResponse m = stream.next(WAIT);
      assertThat(m.getData().toStringUtf8()).isEqualTo("not json");
      stream.ack(m);
    }
  }

  @Test
  void wildcardSubscriptionsReportEachMessagesOwnTopic() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream =
        DaprStream.open(daprd(), pubsub, "sensors/+/temp", Map.of(), m -> null)) {
      awaitSubscribers("sensors/a/temp", 1);
      Mqtt3BlockingClient device = Devices.mqtt3(sidecar.mqttPort());
      for (String topic :
          new String[] {
            "sensors/a/temp", "sensors/a/humidity", "sensors/b/temp", "sensors/b/c/temp"
          }) {
        device.publishWith().topic(topic).payload(utf8("1")).qos(MqttQos.AT_LEAST_ONCE).send();
      }
      device.disconnect();
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> stream.handled().size() == 2);
      Thread.sleep(QUIET.toMillis());
      assertThat(stream.handled())
          .extracting(PullMessagesResponse::getTopicName)
          .containsExactly("sensors/a/temp", "sensors/b/temp");
    }
  }

  // ---- Dapr -> device ----

  @Test
  void structuredModeDevicesGetTheCloudEventJson() throws Exception {
    String pubsub = init(component());
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = Devices.subscribe(device, "commands/#")) {
      byte[] event = cloudEvent("commands/valve", "open");
      publishRaw(pubsub, "commands/valve", event, Map.of());
      Mqtt5Publish publish = Devices.receive(publishes, WAIT);
      assertThat(publish.getPayloadAsBytes()).isEqualTo(event);
      assertThat(Devices.contentType(publish)).isEqualTo("application/cloudevents+json");
    } finally {
      device.disconnect();
    }
  }

  @Test
  void binaryModeDevicesGetPlainDataWithAttributesAsUserProperties() throws Exception {
    String pubsub = init(component().with("cloudEvents", "binary"));
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = Devices.subscribe(device, "commands/#")) {
      publishRaw(
          pubsub, "commands/valve", cloudEvent("commands/valve", "open"), Map.of("custom", "v"));
      Mqtt5Publish publish = Devices.receive(publishes, WAIT);
      assertThat(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("open");
      assertThat(Devices.contentType(publish)).isEqualTo("text/plain");
      assertThat(Devices.userProperties(publish))
          .containsEntry("specversion", "1.0")
          .containsEntry("type", "com.dapr.event.sent")
          .containsEntry("source", "publisher-app")
          .containsEntry("topic", "commands/valve")
          .containsEntry("custom", "v")
          .containsKey("id")
          .doesNotContainKeys("data", "datacontenttype");
    } finally {
      device.disconnect();
    }
  }

  @Test
  void binaryModeRoundTripsBetweenDaprAppsAndDevicesBothWays() throws Exception {
    String pubsub = init(component().with("cloudEvents", "binary"));
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "chat", Map.of())) {
      awaitSubscribers("chat", 1);
      // Dapr app -> (binary MQTT) -> Dapr app: the same CloudEvent comes back.
      byte[] sent = cloudEvent("chat", "hi from dapr");
      publishRaw(pubsub, "chat", sent, Map.of());
      PullMessagesResponse m = stream.next(WAIT);
      JsonNode original = JSON.readTree(sent);
      JsonNode received = json(m.getData());
      assertThat(received.path("id")).isEqualTo(original.path("id"));
      assertThat(received.path("data").asText()).isEqualTo("hi from dapr");
      assertThat(received.path("datacontenttype").asText()).isEqualTo("text/plain");
      assertThat(received.path("traceparent")).isEqualTo(original.path("traceparent"));
      stream.ack(m);

      // Device -> Dapr in binary mode, and a Dapr reply -> device.
      Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
      try (Mqtt5BlockingClient.Mqtt5Publishes publishes = Devices.subscribe(device, "chat")) {
        device
            .publishWith()
            .topic("chat")
            .payload(utf8("hi from device"))
            .contentType("text/plain")
            .userProperties()
            .add("specversion", "1.0")
            .add("id", "d-1")
            .add("source", "urn:dev")
            .add("type", "chat.msg")
            .applyUserProperties()
            .qos(MqttQos.AT_LEAST_ONCE)
            .send();
        PullMessagesResponse fromDevice = stream.next(WAIT);
        assertThat(json(fromDevice.getData()).path("data").asText()).isEqualTo("hi from device");
        assertThat(json(fromDevice.getData()).path("id").asText()).isEqualTo("d-1");
        stream.ack(fromDevice);
        Mqtt5Publish own = Devices.receive(publishes, WAIT); // the device's own message
        assertThat(new String(own.getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("hi from device");
        publishEvent(pubsub, "chat", "reply");
        PullMessagesResponse echo = stream.next(WAIT);
        stream.ack(echo);
        Mqtt5Publish reply = Devices.receive(publishes, WAIT);
        assertThat(new String(reply.getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("reply");
      } finally {
        device.disconnect();
      }
    }
  }
}
