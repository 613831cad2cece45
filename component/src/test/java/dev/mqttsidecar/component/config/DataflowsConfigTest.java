package dev.mqttsidecar.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mqttsidecar.component.dataflow.FlowSettings;
import dev.mqttsidecar.component.endpoint.EndpointSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The endpoints and dataflows sections: defaults, and one line naming the key for each mistake. */
class DataflowsConfigTest {
  private static final String CLOUD = "endpoints: [{ name: cloud, host: localhost }]\n";

  @TempDir Path dir;

  @Test
  void anEndpointGetsTheDocumentedDefaults() throws Exception {
    Configuration c =
        ConfigBinder.bind(
            CLOUD
                + "dataflows: [{ name: up, source: { topics: [a/+/b] },"
                + " destination: { endpoint: cloud, topic: 'x/${1}' } }]",
            "config.yaml",
            dir);

    EndpointSettings cloud = c.dataflows().endpoints().get(0);
    assertThat(cloud.port()).isEqualTo(1883);
    assertThat(cloud.qos()).isEqualTo(1);
    assertThat(cloud.sessionExpiry()).isEqualTo(Duration.ofSeconds(3600));
    assertThat(cloud.keepAlive()).isEqualTo(Duration.ofSeconds(60));
    assertThat(cloud.maxInflightMessages()).isEqualTo(100);
    assertThat(cloud.mqttVersion()).isEqualTo(EndpointSettings.MqttVersion.MQTT_5);
    assertThat(cloud.retain()).isEqualTo(EndpointSettings.RetainPolicy.KEEP);
    FlowSettings up = c.dataflows().flows().get(0);
    assertThat(up.sourceEndpoint()).isNull();
    assertThat(up.destinationEndpoint()).isEqualTo("cloud");
    assertThat(up.formatName()).isEqualTo("Raw");
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(
            CLOUD
                + "dataflows: [{ name: up, source: { topics: [a] },"
                + " destination: { endpoint: clod, topic: b } }]",
            "config.yaml: dataflows[0].destination.endpoint: no endpoint named 'clod' (endpoints:"
                + " [cloud]; leave the key out for the embedded broker)"),
        Arguments.of(
            CLOUD
                + "dataflows: [{ name: up, source: { topics: [a/b] },"
                + " destination: { endpoint: cloud, topic: 'x/${3}' } }]",
            "config.yaml: dataflows[0].destination.topic: 'x/${3}' uses level 3 but source topic"
                + " 'a/b' has 2"),
        Arguments.of(
            CLOUD
                + "dataflows: [{ name: up, source: { topics: [a] },"
                + " destination: { endpoint: cloud, topic: 'x/${site}' } }]",
            "config.yaml: dataflows[0].destination.topic: '${site}' in 'x/${site}': write ${n}"
                + " for the n-th level of the source topic (from 1) or ${.field} for a field of the"
                + " JSON message"),
        Arguments.of(
            CLOUD
                + "dataflows: [{ name: up, source: { topics: [a/#/b] },"
                + " destination: { endpoint: cloud, topic: x } }]",
            "config.yaml: dataflows[0].source.topics[0]: 'a/#/b' is not a topic filter (MQTT 5.0"
                + " §4.7, $share/<group>/<filter>)"),
        Arguments.of(
            CLOUD
                + "dataflows: [{ name: up, source: { topics: [a] },"
                + " destination: { endpoint: cloud, topic: x }, format: Avro }]",
            "config.yaml: dataflows[0].format: must be one of Raw, JSON, JSONStream, CSV,"
                + " Protobuf, MessagePack, CBOR, was 'Avro'"),
        Arguments.of(
            "endpoints: [{ name: cloud, host: h, protocol: Tcp }]",
            "config.yaml: endpoints[0].protocol: must be Mqtt or WebSockets, was 'Tcp'"),
        Arguments.of(
            "endpoints: [{ name: cloud, host: h, qos: 2 }]",
            "config.yaml: endpoints[0].qos: must be in [0, 1], was 2"),
        Arguments.of(
            "endpoints: [{ name: cloud, host: h, authentication: { method: Jwt } }]",
            "config.yaml: endpoints[0].authentication.tokenFile: missing; this key is required"),
        // A flow up and a flow down whose mapped topics overlap: each would feed the other.
        Arguments.of(
            CLOUD
                + "dataflows:\n"
                + "  - { name: up, source: { topics: ['devices/#'] },"
                + " destination: { endpoint: cloud, topic: 'edge/${2}' } }\n"
                + "  - { name: down, source: { endpoint: cloud, topics: ['edge/+'] },"
                + " destination: { topic: 'devices/${2}' } }",
            "config.yaml: dataflows: dataflows 'up' and 'down' form a loop: each reads topics the"
                + " other writes (edge/${2}, devices/${2}); make their topics disjoint"));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void stopsTheStartWithOneLineNamingTheKey(String yaml, String message) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigBinder.bind(yaml, "config.yaml", dir));
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @Test
  void flowsBothWaysOnDisjointTopicsAreNoLoop() throws Exception {
    Configuration c =
        ConfigBinder.bind(
            CLOUD
                + "dataflows:\n"
                + "  - { name: up, source: { topics: ['devices/+/telemetry'] },"
                + " destination: { endpoint: cloud, topic: 'plants/${2}/telemetry' } }\n"
                + "  - { name: down, source: { endpoint: cloud, topics: ['commands/#'] },"
                + " destination: { topic: 'devices/${2}/commands' } }",
            "config.yaml",
            dir);
    assertThat(c.dataflows().flows()).hasSize(2);
  }
}
