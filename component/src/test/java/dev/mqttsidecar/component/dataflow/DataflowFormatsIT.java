package dev.mqttsidecar.component.dataflow;

import static dev.mqttsidecar.component.dataflow.DataflowHarness.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.Sidecar;
import dev.mqttsidecar.component.config.ConfigBinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV and Protobuf dataflows configured by a file, through real MQTT clients: on the embedded
 * broker both ways, and into a real Mosquitto. Each output is decoded by an independent decoder
 * (jackson-dataformat-csv, protobuf's parser with the test's own descriptor) and compared; a
 * message that cannot be converted is dead-lettered and the flow goes on.
 */
class DataflowFormatsIT {
  private static final String PROTOBUF =
      "format: Protobuf, protobuf: { descriptorFile: telemetry.desc,"
          + " messageType: sample.telemetry.Reading }";

  @TempDir Path dir;
  private DataflowHarness harness;
  private Sidecar sidecar;
  private Mosquitto mosquitto;

  @BeforeEach
  void descriptorSet() throws Exception {
    harness = new DataflowHarness(dir);
    Files.copy(TelemetryDescriptor.file(), dir.resolve("telemetry.desc"));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  private void startSidecar(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
    sidecar = harness.start(ConfigBinder.load(file, "config.yaml").dataflows());
  }

  /** A connected client of 127.0.0.1:{@code port}; {@code user} may be null. */
  private Mqtt5BlockingClient client(String id, int port, String user, String password) {
    Mqtt5BlockingClient c = harness.client(id, port, user, password);
    c.connect();
    return c;
  }

  private Mqtt5BlockingClient embedded(String id) {
    return harness.embedded(id);
  }

  private static void publish(Mqtt5BlockingClient c, String topic, String payload) {
    c.publishWith()
        .topic(topic)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
  }

  private static Map<String, String> userProperties(Mqtt5Publish p) {
    Map<String, String> map = new LinkedHashMap<>();
    p.getUserProperties()
        .asList()
        .forEach(u -> map.put(u.getName().toString(), u.getValue().toString()));
    return map;
  }

  private static void assertReading(Mqtt5Publish p, String device, double temperature)
      throws Exception {
    Descriptor type = TelemetryDescriptor.reading();
    DynamicMessage m = DynamicMessage.parseFrom(type, p.getPayloadAsBytes());
    assertThat(m.getField(type.findFieldByName("device_id"))).isEqualTo(device);
    assertThat(m.getField(type.findFieldByName("temperature"))).isEqualTo(temperature);
    assertThat(p.getContentType().map(Object::toString)).contains("application/x-protobuf");
  }

  @Test
  void csvAndProtobufFlowsOnTheEmbeddedBrokerDeliverDecodableMessages() throws Exception {
    startSidecar(
        "dataflows:\n"
            + "  - { name: csv, source: { topics: ['devices/+/batch'] },"
            + " destination: { topic: 'csv/${2}' }, format: CSV, deadLetterTopic: dead/csv }\n"
            + "  - { name: proto, source: { topics: ['devices/+/reading'] },"
            + " destination: { topic: 'proto/${2}' }, "
            + PROTOBUF
            + ", cloudEventAttributes: CreateOrRemap, deadLetterTopic: dead/proto }\n");
    Mqtt5BlockingClient app = embedded("app");
    app.subscribeWith().topicFilter("csv/#").qos(MqttQos.AT_LEAST_ONCE).send();
    app.subscribeWith().topicFilter("proto/#").qos(MqttQos.AT_LEAST_ONCE).send();
    app.subscribeWith().topicFilter("dead/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes received = app.publishes(MqttGlobalPublishFilter.ALL);
    Mqtt5BlockingClient device = embedded("device-1");

    publish(
        device,
        "devices/d1/batch",
        "[{\"t\":1,\"temp\":20.5,\"loc\":{\"site\":\"s1\"}},{\"t\":2,\"temp\":21}]");
    Mqtt5Publish csv = receive(received);
    assertThat(csv.getTopic().toString()).isEqualTo("csv/d1");
    assertThat(csv.getContentType().map(Object::toString)).contains("text/csv");
    try (MappingIterator<Map<String, String>> rows =
        new CsvMapper()
            .readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(csv.getPayloadAsBytes())) {
      assertThat(rows.readAll())
          .containsExactly(
              Map.of("t", "1", "temp", "20.5", "loc.site", "s1"),
              Map.of("t", "2", "temp", "21", "loc.site", ""));
    }
    // JSON followed by anything else is not JSON: a reader taking the first value would hide it.
    publish(device, "devices/d1/batch", "{\"t\":3}x");
    Mqtt5Publish trailing = receive(received);
    assertThat(trailing.getTopic().toString()).isEqualTo("dead/csv");
    assertThat(new String(trailing.getPayloadAsBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"t\":3}x");
    assertThat(sidecar.dataflows().flows().get(0).failed()).isEqualTo(1);

    publish(device, "devices/d1/reading", "{\"deviceId\":\"d1\",\"temperature\":21.5}");
    Mqtt5Publish proto = receive(received);
    assertThat(proto.getTopic().toString()).isEqualTo("proto/d1");
    assertReading(proto, "d1", 21.5);
    assertThat(userProperties(proto))
        .containsEntry("specversion", "1.0")
        .containsEntry("type", CloudEventsHandling.TYPE)
        .containsEntry("subject", "devices/d1/reading")
        .containsEntry("source", "mqtt-sidecar/dataflows/proto");

    publish(device, "devices/d1/reading", "{\"deviceId\":\"d1\",\"humidity\":40}");
    Mqtt5Publish dead = receive(received);
    assertThat(dead.getTopic().toString()).isEqualTo("dead/proto");
    assertThat(new String(dead.getPayloadAsBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"deviceId\":\"d1\",\"humidity\":40}");
    assertThat(userProperties(dead))
        .containsEntry("dataflow", "proto")
        .containsEntry("sourceTopic", "devices/d1/reading");
    assertThat(userProperties(dead).get("error"))
        .contains("cannot convert to sample.telemetry.Reading");

    // The flow goes on after the message it could not convert.
    publish(device, "devices/d2/reading", "{\"deviceId\":\"d2\",\"temperature\":-3.25}");
    Mqtt5Publish next = receive(received);
    assertThat(next.getTopic().toString()).isEqualTo("proto/d2");
    assertReading(next, "d2", -3.25);
    DataflowStatus status = sidecar.dataflows().flows().get(1);
    assertThat(status.forwarded()).isEqualTo(2);
    assertThat(status.failed()).isEqualTo(1);
    assertThat(status.deadLettered()).isEqualTo(1);
  }

  @Test
  void aProtobufFlowDeliversDecodableMessagesToMosquitto() throws Exception {
    assumeTrue(Mosquitto.installed(), "no " + Mosquitto.BINARY + " (Debian package mosquitto)");
    TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
    mosquitto = Mosquitto.start(Files.createDirectories(dir.resolve("mosquitto")), pki);
    Files.writeString(dir.resolve("cloud-password"), Mosquitto.PASSWORD + "\n");
    startSidecar(
        "endpoints:\n"
            + "  - { name: cloud, host: 127.0.0.1, port: "
            + mosquitto.port
            + ", authentication: { method: UsernamePassword, username: "
            + Mosquitto.USER
            + ", passwordFile: cloud-password } }\n"
            + "dataflows:\n"
            + "  - { name: up, source: { topics: ['devices/+/reading'] },"
            + " destination: { endpoint: cloud, topic: 'plants/${2}' }, "
            + PROTOBUF
            + " }\n");
    harness.awaitEndpointConnected();
    Mqtt5BlockingClient cloud =
        client("cloud-app", mosquitto.port, Mosquitto.USER, Mosquitto.PASSWORD);
    cloud.subscribeWith().topicFilter("plants/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes up = cloud.publishes(MqttGlobalPublishFilter.ALL);

    publish(embedded("device-1"), "devices/d7/reading", "{\"deviceId\":\"d7\",\"temperature\":4}");

    Mqtt5Publish p = receive(up);
    assertThat(p.getTopic().toString()).isEqualTo("plants/d7");
    assertReading(p, "d7", 4.0);
  }
}
