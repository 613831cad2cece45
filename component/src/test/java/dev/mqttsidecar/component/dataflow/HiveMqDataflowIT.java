package dev.mqttsidecar.component.dataflow;

import static dev.mqttsidecar.component.dataflow.DataflowHarness.WAIT;
import static dev.mqttsidecar.component.dataflow.DataflowHarness.receive;
import static dev.mqttsidecar.component.dataflow.DataflowHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.component.Sidecar;
import dev.mqttsidecar.component.endpoint.EndpointSettings;
import dev.mqttsidecar.component.endpoint.EndpointStatus;
import dev.mqttsidecar.component.testing.HiveMq;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataflows between the sidecar (in-process) and HiveMQ Community Edition as the upstream, started
 * as its own process with file persistence: both directions, and an outage of HiveMQ during which
 * devices go on publishing, with every acknowledged message forwarded in order once it is back.
 */
class HiveMqDataflowIT {
  @TempDir Path dir;
  private HiveMq hivemq;
  private DataflowHarness harness;
  private Sidecar sidecar;

  @BeforeEach
  void startHiveMq() throws Exception {
    hivemq = HiveMq.start(Files.createDirectories(dir.resolve("hivemq")));
    harness = new DataflowHarness(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (hivemq != null) {
      hivemq.close();
    }
  }

  @Test
  void devicesToHiveMqInOrderAndCommandsBack() throws Exception {
    startSidecar(
        flow("up", null, "devices/#", "hivemq", TopicTemplate.parse("edge/${2}")),
        flow("down", "hivemq", "commands/#", null, TopicTemplate.parse("devices/${2}/commands")));
    Mqtt5BlockingClient upstream = hivemqClient("cloud-app", false);
    upstream.subscribeWith().topicFilter("edge/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes up = upstream.publishes(MqttGlobalPublishFilter.ALL);
    Mqtt5BlockingClient device = embeddedClient("device-1");
    device.subscribeWith().topicFilter("devices/+/commands").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes commands = device.publishes(MqttGlobalPublishFilter.ALL);

    int count = 50;
    for (int i = 0; i < count; i++) {
      device
          .publishWith()
          .topic("devices/d1")
          .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8))
          .qos(MqttQos.AT_LEAST_ONCE)
          .userProperties()
          .add("unit", "celsius")
          .applyUserProperties()
          .send();
    }
    for (int i = 0; i < count; i++) {
      Mqtt5Publish p = receive(up);
      assertThat(p.getTopic().toString()).isEqualTo("edge/d1");
      assertThat(text(p)).isEqualTo(Integer.toString(i));
      assertThat(p.getUserProperties().asList())
          .anySatisfy(
              u -> {
                assertThat(u.getName().toString()).isEqualTo("unit");
                assertThat(u.getValue().toString()).isEqualTo("celsius");
              });
    }

    // The downward flow subscribes once connected: publish until the first command comes through.
    Optional<Mqtt5Publish> command = Optional.empty();
    for (int i = 0; i < 30 && command.isEmpty(); i++) {
      upstream
          .publishWith()
          .topic("commands/d7")
          .payload("reboot".getBytes(StandardCharsets.UTF_8))
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      command = commands.receive(1, TimeUnit.SECONDS);
    }
    assertThat(command).isPresent();
    assertThat(command.get().getTopic().toString()).isEqualTo("devices/d7/commands");
    assertThat(text(command.get())).isEqualTo("reboot");
  }

  @Test
  void messagesAcknowledgedWhileHiveMqIsDownArriveInOrderOnceItIsBack() throws Exception {
    startSidecar(flow("up", null, "devices/#", "hivemq", TopicTemplate.parse("edge/${2}")));
    // A persistent subscriber: HiveMQ keeps, on disk, what arrives for it while it is away.
    Mqtt5BlockingClient subscriber = hivemqClient("cloud-durable", true);
    subscriber.subscribeWith().topicFilter("edge/#").qos(MqttQos.AT_LEAST_ONCE).send();
    subscriber.disconnect();

    hivemq.stop();
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> endpointState() == EndpointStatus.State.DISCONNECTED);
    Mqtt5BlockingClient device = embeddedClient("device-1");
    int count = 200;
    for (int i = 0; i < count; i++) {
      device // each returns once the embedded broker acknowledged it
          .publishWith()
          .topic("devices/d1")
          .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8))
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
    }
    hivemq.restart();

    Mqtt5BlockingClient back = hivemqClientNotConnected("cloud-durable");
    // Registered before CONNECT: the session's queued messages come right after CONNACK.
    Mqtt5BlockingClient.Mqtt5Publishes received = back.publishes(MqttGlobalPublishFilter.ALL);
    back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    Set<String> firstArrivals = new LinkedHashSet<>(); // at least once: a repeat may follow
    while (firstArrivals.size() < count) {
      firstArrivals.add(text(receive(received)));
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(Integer.toString(i));
    }
    assertThat(firstArrivals).containsExactlyElementsOf(expected);
  }

  private void startSidecar(FlowSettings... flows) throws Exception {
    EndpointSettings hivemqEndpoint = EndpointSettings.of("hivemq", "127.0.0.1", hivemq.mqttPort());
    sidecar = harness.start(new DataflowSettings(List.of(hivemqEndpoint), List.of(flows)));
    harness.awaitEndpointConnected();
  }

  private EndpointStatus.State endpointState() {
    return sidecar.dataflows().endpoints().get(0).state();
  }

  private static FlowSettings flow(
      String name, String from, String filter, String to, TopicTemplate topic) {
    return new FlowSettings(name, from, List.of(filter), to, topic, "Raw", "dead/" + name);
  }

  private Mqtt5BlockingClient hivemqClient(String id, boolean persistent) {
    Mqtt5BlockingClient c = hivemqClientNotConnected(id);
    c.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 3600 : 0).send();
    return c;
  }

  private Mqtt5BlockingClient hivemqClientNotConnected(String id) {
    return harness.client(id, hivemq.mqttPort(), null, null);
  }

  private Mqtt5BlockingClient embeddedClient(String id) {
    return harness.embedded(id);
  }
}
