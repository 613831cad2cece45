package dev.mqttsidecar.component.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a running sidecar after real traffic: an MQTT 5 client publishing at each
 * QoS, a refused CONNECT, Dapr state calls over the socket and durable writes, read back as
 * Prometheus text and compared with what happened and with {@code $SYS}.
 */
class MetricsEndpointTest {
  private static final Pattern SAMPLE =
      Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) ([-+0-9.eE]+|NaN)$");

  @TempDir Path folder;
  private InProcessSidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    BrokerConfig config =
        BrokerConfig.builder()
            .port(0)
            .dataDirectory(folder.resolve("data"))
            .durability(Durability.FSYNC)
            .build();
    sidecar = InProcessSidecar.start(folder, config);
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
  }

  private Map<String, Double> scrape() throws Exception {
    HttpResponse<String> response = HttpCalls.get(sidecar.httpUri(), "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
      samples.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return samples;
  }

  @Test
  void countsWhatHappenedByQosReasonAndMethod() throws Exception {
    Mqtt5BlockingClient device =
        Mqtt5Client.builder()
            .identifier("device-1")
            .serverHost("127.0.0.1")
            .serverPort(sidecar.mqttPort())
            .buildBlocking();
    device.connect();
    device.subscribeWith().topicFilter("plant/#").qos(MqttQos.EXACTLY_ONCE).send();
    for (MqttQos qos : MqttQos.values()) {
      device.publishWith().topic("plant/" + qos.getCode()).qos(qos).payload(new byte[10]).send();
    }
    // A 3.1.1 CONNECT with an empty client id and Clean Session 0: refused with 0x02
    // [MQTT-3.1.3-8].
    try (Socket raw = new Socket("127.0.0.1", sidecar.mqttPort())) {
      OutputStream out = raw.getOutputStream();
      out.write(new byte[] {0x10, 0x0C, 0, 4, 'M', 'Q', 'T', 'T', 4, 0, 0, 60, 0, 0});
      InputStream in = raw.getInputStream();
      assertThat(in.readNBytes(4)).containsExactly(0x20, 0x02, 0x00, 0x02);
    }
    ComponentYaml store = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    sidecar.daprd().initState(store);
    sidecar
        .daprd()
        .state(store.name())
        .set(
            State.SetRequest.newBuilder()
                .setKey("app||lamp")
                .setValue(ByteString.copyFromUtf8("{\"on\":true}"))
                .build());

    // Deliveries to the subscriber end asynchronously: wait for the last one to be counted.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> scrape().getOrDefault("mqtt_messages_sent_total{qos=\"2\"}", 0.0) >= 1);
    Map<String, Double> m = scrape();
    assertThat(m)
        .containsEntry("mqtt_messages_received_total{qos=\"0\"}", 1.0)
        .containsEntry("mqtt_messages_received_total{qos=\"1\"}", 1.0)
        .containsEntry("mqtt_messages_received_total{qos=\"2\"}", 1.0)
        .containsEntry("mqtt_messages_sent_total{qos=\"0\"}", 1.0)
        .containsEntry("mqtt_messages_sent_total{qos=\"1\"}", 1.0)
        .containsEntry("mqtt_messages_sent_total{qos=\"2\"}", 1.0)
        .containsEntry("mqtt_payload_received_bytes_total", 30.0)
        .containsEntry("mqtt_connections", 1.0)
        .containsEntry(
            "mqtt_connections_refused_total{reason=\"client_identifier_not_valid\"}", 1.0)
        .doesNotContainKey("mqtt_connections_refused_total{reason=\"not_authorized\"}")
        .containsEntry("mqtt_subscriptions", 3.0); // the device's, and the two state services'
    assertThat(m.get("mqtt_connections_accepted_total")).isGreaterThanOrEqualTo(1.0);
    assertThat(m.get("mqtt_retained_messages")).isGreaterThanOrEqualTo(1.0); // the state key
    assertThat(m.get("mqtt_queued_messages")).isNotNaN();
    assertThat(m.get("mqtt_inflight_messages")).isNotNaN();

    String set = "method=\"dapr.proto.components.v1.StateStore/Set\",status=\"OK\"";
    assertThat(m).containsEntry("dapr_calls_seconds_count{" + set + "}", 1.0);
    assertThat(m)
        .hasEntrySatisfying(
            m.keySet().stream()
                .filter(k -> k.startsWith("dapr_calls_seconds_bucket{") && k.contains(set))
                .filter(k -> k.contains("le=\"5.0\""))
                .findFirst()
                .orElse("dapr_calls_seconds_bucket with le=5.0 and " + set),
            count -> assertThat(count).isEqualTo(1.0));
    assertThat(m.get("storage_write_seconds_count{synced=\"true\"}")).isGreaterThanOrEqualTo(1.0);
    assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{area=\"heap\""));

    // $SYS publishes the same numbers.
    Map<String, String> sys = sidecar.sidecar().broker().inspector().statistics();
    assertThat(Double.parseDouble(sys.get("messages/received"))).isEqualTo(3.0);
    assertThat(Double.parseDouble(sys.get("clients/connected")))
        .isEqualTo(m.get("mqtt_connections"));
    device.disconnect();
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() throws Exception {
    HttpResponse<String> response =
        HttpCalls.send(
            HttpRequest.newBuilder(sidecar.httpUri().resolve("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(response.body()).contains("mqtt_connections ").endsWith("# EOF\n");
  }
}
