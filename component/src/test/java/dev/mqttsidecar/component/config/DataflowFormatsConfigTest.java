package dev.mqttsidecar.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mqttsidecar.component.dataflow.CloudEventsHandling;
import dev.mqttsidecar.component.dataflow.FlowSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A dataflow's format settings and CloudEvents handling: bound, and each mistake in one line. */
class DataflowFormatsConfigTest {
  private static final String CLOUD =
      "endpoints: [{ name: cloud, host: localhost }, { name: old, host: h, mqttVersion: '3.1.1',"
          + " cloudEventAttributes: CreateOrRemap }]\n";
  private static final String FLOW =
      "dataflows: [{ name: up, source: { topics: [a] }, destination: { endpoint: cloud, topic: b }";

  @TempDir Path dir;

  @BeforeEach
  void descriptorSet() throws Exception {
    Files.copy(
        Path.of(getClass().getResource("../dataflow/telemetry.desc").toURI()),
        dir.resolve("telemetry.desc"));
  }

  private FlowSettings flow(String rest) throws Exception {
    return ConfigBinder.bind(CLOUD + FLOW + rest + " }]", "config.yaml", dir)
        .dataflows()
        .flows()
        .get(0);
  }

  @Test
  void csvSettingsAreBound() throws Exception {
    FlowSettings f = flow(", format: CSV, csv: { header: false, columns: [b.c, a] }");

    assertThat(f.formatName()).isEqualTo("CSV");
    assertThat(f.formatOptions().csvHeader()).isFalse();
    assertThat(f.formatOptions().csvColumns()).containsExactly("b.c", "a");
    assertThat(f.cloudEvents()).isEqualTo(CloudEventsHandling.PROPAGATE);
  }

  @Test
  void protobufSettingsResolveTheFileAgainstTheConfigurationsFolder() throws Exception {
    FlowSettings f =
        flow(
            ", format: Protobuf, protobuf: { descriptorFile: telemetry.desc,"
                + " messageType: sample.telemetry.Reading, unknownFields: Ignore }");

    assertThat(f.formatOptions().protobufDescriptorFile()).isEqualTo(dir.resolve("telemetry.desc"));
    assertThat(f.formatOptions().protobufMessageType()).isEqualTo("sample.telemetry.Reading");
    assertThat(f.formatOptions().protobufIgnoreUnknownFields()).isTrue();
  }

  @Test
  void cloudEventsComeFromTheFlowOrItsDestinationEndpoint() throws Exception {
    FlowSettings own = flow(", cloudEventAttributes: CreateOrRemap, cloudEvents: Structured");
    assertThat(own.cloudEvents().createOrRemap()).isTrue();
    assertThat(own.cloudEvents().mode()).isEqualTo(CloudEventsHandling.Mode.STRUCTURED);

    FlowSettings inherited =
        ConfigBinder.bind(
                CLOUD
                    + "dataflows: [{ name: up, source: { topics: [a] },"
                    + " destination: { endpoint: old, topic: b }, cloudEvents: Structured }]",
                "config.yaml",
                dir)
            .dataflows()
            .flows()
            .get(0);
    assertThat(inherited.cloudEvents().createOrRemap()).isTrue();
  }

  static Stream<Arguments> mistakes() {
    String at = "config.yaml: dataflows[0].";
    return Stream.of(
        Arguments.of(
            ", format: JSON, csv: { header: false }",
            at + "csv: only with format CSV (format is JSON)"),
        Arguments.of(
            ", format: CSV, protobuf: { messageType: x }",
            at + "protobuf: only with format Protobuf (format is CSV)"),
        Arguments.of(
            ", format: Protobuf",
            at + "protobuf.descriptorFile: missing; format Protobuf needs a descriptor set file"),
        Arguments.of(
            ", format: Protobuf, protobuf: { descriptorFile: telemetry.desc }",
            at
                + "protobuf.messageType: missing; format Protobuf needs a fully qualified message"
                + " name"),
        Arguments.of(
            ", format: Protobuf, protobuf: { descriptorFile: none.desc, messageType: x }",
            at + "protobuf.descriptorFile: file not found: none.desc (DIR/none.desc)"),
        Arguments.of(
            ", format: Protobuf, protobuf: { descriptorFile: telemetry.desc, messageType: x.Y }",
            at
                + "protobuf.messageType: no message 'x.Y' in DIR/telemetry.desc (it has"
                + " [google.protobuf.Timestamp, sample.telemetry.Reading,"
                + " sample.telemetry.Reading.Location])"),
        Arguments.of(
            ", format: Protobuf, protobuf: { descriptorFile: telemetry.desc,"
                + " messageType: sample.telemetry.Reading, unknownFields: Drop }",
            at + "protobuf.unknownFields: must be Refuse or Ignore, was 'Drop'"),
        Arguments.of(
            ", cloudEventAttributes: Create",
            at + "cloudEventAttributes: must be Propagate or CreateOrRemap, was 'Create'"),
        Arguments.of(
            ", cloudEvents: Json", at + "cloudEvents: must be Binary or Structured, was 'Json'"));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void stopsTheStartWithOneLineNamingTheKey(String rest, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> flow(rest));
    assertThat(e.getMessage().replace(dir.toString(), "DIR")).isEqualTo(message);
  }

  @Test
  void binaryCloudEventsNeedAnMqtt5Destination() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigBinder.bind(
                    CLOUD
                        + "dataflows: [{ name: up, source: { topics: [a] },"
                        + " destination: { endpoint: old, topic: b } }]",
                    "config.yaml",
                    dir));
    assertThat(e.getMessage())
        .isEqualTo(
            "config.yaml: dataflows[0].cloudEvents: Binary needs MQTT 5 user properties, but"
                + " endpoint 'old' speaks MQTT 3.1.1; write cloudEvents: Structured");
  }

  @Test
  void anEndpointsOwnSettingIsCheckedEvenWithoutAFlow() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigBinder.bind(
                    "endpoints: [{ name: cloud, host: h, cloudEventAttributes: Remap }]",
                    "config.yaml",
                    dir));
    assertThat(e.getMessage())
        .isEqualTo(
            "config.yaml: endpoints[0].cloudEventAttributes: must be Propagate or CreateOrRemap,"
                + " was 'Remap'");
  }
}
