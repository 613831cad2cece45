package dev.mqttsidecar.component.dataflow;

import static dev.mqttsidecar.component.dataflow.DataflowHarness.WAIT;
import static dev.mqttsidecar.component.dataflow.DataflowHarness.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.Sidecar;
import dev.mqttsidecar.component.endpoint.EndpointSettings;
import dev.mqttsidecar.component.endpoint.EndpointSettings.Authentication;
import dev.mqttsidecar.component.endpoint.EndpointStatus;
import dev.mqttsidecar.component.testing.HttpCalls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataflows between the sidecar (in-process) and a real Mosquitto: topics mapped by level and by a
 * JSON field, both directions, password and TLS, a dead letter, one connection for two flows, and
 * an outage of Mosquitto with nothing lost.
 */
class MosquittoDataflowIT {
  @TempDir Path dir;
  private TestPki pki;
  private Mosquitto mosquitto;
  private DataflowHarness harness;
  private Sidecar sidecar;

  @BeforeEach
  void startMosquitto() throws Exception {
    assumeTrue(Mosquitto.installed(), "no " + Mosquitto.BINARY + " (Debian package mosquitto)");
    pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
    mosquitto = Mosquitto.start(Files.createDirectories(dir.resolve("mosquitto")), pki);
    harness = new DataflowHarness(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  private EndpointSettings endpoint(boolean tls) throws Exception {
    return endpoint("cloud", tls);
  }

  private EndpointSettings endpoint(String name, boolean tls) throws Exception {
    Path password = Files.writeString(dir.resolve("cloud-password"), Mosquitto.PASSWORD + "\n");
    EndpointSettings plain = EndpointSettings.of(name, "localhost", mosquitto.port);
    return new EndpointSettings(
        plain.name(),
        plain.host(),
        tls ? mosquitto.tlsPort : mosquitto.port,
        plain.transport(),
        plain.webSocketPath(),
        plain.mqttVersion(),
        tls ? new EndpointSettings.Tls(pki.ca().cert(), null, null) : null,
        new Authentication.UsernamePassword(Mosquitto.USER, password, null),
        "flow-it",
        1,
        plain.retain(),
        plain.sessionExpiry(),
        plain.keepAlive(),
        plain.maxInflightMessages(),
        plain.maxBufferedMessages());
  }

  private void startSidecar(EndpointSettings endpoint, FlowSettings... flows) throws Exception {
    startSidecar(List.of(endpoint), flows);
  }

  private void startSidecar(List<EndpointSettings> endpoints, FlowSettings... flows)
      throws Exception {
    sidecar = harness.start(new DataflowSettings(endpoints, List.of(flows)));
  }

  private static FlowSettings flow(
      String name, String from, String filter, String to, TopicTemplate topic, String format) {
    return new FlowSettings(name, from, List.of(filter), to, topic, format, "dead/" + name);
  }

  private Mqtt5BlockingClient mosquittoClient(String id, boolean persistent) {
    Mqtt5BlockingClient c = mosquittoClientNotConnected(id);
    c.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 3600 : 0).send();
    return c;
  }

  private Mqtt5BlockingClient mosquittoClientNotConnected(String id) {
    return harness.client(id, mosquitto.port, Mosquitto.USER, Mosquitto.PASSWORD);
  }

  private Mqtt5BlockingClient embeddedClient(String id) {
    return harness.embedded(id);
  }

  private void awaitConnected() {
    harness.awaitEndpointConnected();
  }

  @Test
  void devicesToMosquittoByLevelAndByJsonFieldOverOneConnection() throws Exception {
    startSidecar(
        endpoint(false),
        flow(
            "by-level",
            null,
            "devices/+/telemetry",
            "cloud",
            TopicTemplate.parse("plants/${2}/telemetry"),
            "Raw"),
        flow("by-site", null, "readings/#", "cloud", TopicTemplate.fromField(".site"), "JSON"));
    awaitConnected();
    Mqtt5BlockingClient upstream = mosquittoClient("upstream-sub", false);
    upstream.subscribeWith().topicFilter("plants/#").qos(MqttQos.AT_LEAST_ONCE).send();
    upstream.subscribeWith().topicFilter("site/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes up = upstream.publishes(MqttGlobalPublishFilter.ALL);
    Mqtt5BlockingClient device = embeddedClient("device-1");
    device.subscribeWith().topicFilter("dead/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes dead = device.publishes(MqttGlobalPublishFilter.ALL);

    device
        .publishWith()
        .topic("devices/d1/telemetry")
        .payload("21.5".getBytes())
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    Mqtt5Publish mapped = receive(up);
    assertThat(mapped.getTopic().toString()).isEqualTo("plants/d1/telemetry");
    assertThat(new String(mapped.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("21.5");

    device
        .publishWith()
        .topic("readings/x")
        .payload("{not json".getBytes())
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    Mqtt5Publish deadLetter = receive(dead);
    assertThat(deadLetter.getTopic().toString()).isEqualTo("dead/by-site");
    assertThat(new String(deadLetter.getPayloadAsBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{not json");

    // The flow goes on after the bad message.
    device
        .publishWith()
        .topic("readings/x")
        .payload("{ \"site\": \"site/7\", \"t\": 3 }".getBytes())
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    Mqtt5Publish bySite = receive(up);
    assertThat(bySite.getTopic().toString()).isEqualTo("site/7");
    assertThat(new String(bySite.getPayloadAsBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"site\":\"site/7\",\"t\":3}");

    List<EndpointStatus> endpoints = sidecar.dataflows().endpoints();
    assertThat(endpoints).hasSize(1);
    assertThat(endpoints.get(0).connects()).isEqualTo(1);
    assertThat(sidecar.dataflows().flows().get(1).failed()).isEqualTo(1);
    assertThat(sidecar.dataflows().flows().get(1).deadLettered()).isEqualTo(1);

    // The same status, as metrics.
    String metrics =
        HttpCalls.get(URI.create("http://127.0.0.1:" + sidecar.httpAddress().getPort()), "/metrics")
            .body();
    assertThat(metrics)
        .contains("endpoint_connected{endpoint=\"cloud\"} 1.0")
        .contains("endpoint_connects_total{endpoint=\"cloud\"} 1.0")
        .contains("dataflow_messages_total{dataflow=\"by-level\",outcome=\"forwarded\"} 1.0")
        .contains("dataflow_messages_total{dataflow=\"by-site\",outcome=\"dead_lettered\"} 1.0");
  }

  @Test
  void mosquittoToEmbeddedOverTlsWithAPassword() throws Exception {
    startSidecar(
        endpoint(true),
        flow(
            "down",
            "cloud",
            "commands/#",
            null,
            TopicTemplate.parse("devices/${2}/commands"),
            "Raw"));
    awaitConnected();
    Mqtt5BlockingClient device = embeddedClient("device-1");
    device.subscribeWith().topicFilter("devices/+/commands").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes commands = device.publishes(MqttGlobalPublishFilter.ALL);

    Mqtt5BlockingClient cloud = mosquittoClient("cloud-app", false);
    // The subscription is made once connected: publish until the first one comes through.
    Optional<Mqtt5Publish> got = Optional.empty();
    for (int i = 0; i < 30 && got.isEmpty(); i++) {
      cloud
          .publishWith()
          .topic("commands/d7")
          .payload("reboot".getBytes())
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      got = commands.receive(1, TimeUnit.SECONDS);
    }
    assertThat(got).isPresent();
    assertThat(got.get().getTopic().toString()).isEqualTo("devices/d7/commands");
    assertThat(new String(got.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
        .isEqualTo("reboot");
  }

  @Test
  void messagesPublishedWhileMosquittoIsDownArriveAfterItIsBack() throws Exception {
    startSidecar(
        endpoint(false),
        flow("up", null, "devices/#", "cloud", TopicTemplate.parse("edge/${2}"), "Raw"));
    awaitConnected();
    // A persistent subscriber, so Mosquitto keeps what arrives while it is away.
    Mqtt5BlockingClient upstream = mosquittoClient("upstream-durable", true);
    upstream.subscribeWith().topicFilter("edge/#").qos(MqttQos.AT_LEAST_ONCE).send();
    upstream.disconnect();

    mosquitto.stop();
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                sidecar.dataflows().endpoints().get(0).state()
                    == EndpointStatus.State.DISCONNECTED);
    Mqtt5BlockingClient device = embeddedClient("device-1");
    int count = 200;
    for (int i = 0; i < count; i++) {
      device
          .publishWith()
          .topic("devices/m" + i)
          .payload(("" + i).getBytes())
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
    }
    mosquitto.start();

    Mqtt5BlockingClient back = mosquittoClientNotConnected("upstream-durable");
    // Registered before CONNECT: the session's queued messages come right after CONNACK.
    Mqtt5BlockingClient.Mqtt5Publishes received = back.publishes(MqttGlobalPublishFilter.ALL);
    back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    Set<String> topics = new HashSet<>();
    while (topics.size() < count) {
      topics.add(receive(received).getTopic().toString());
    }
    for (int i = 0; i < count; i++) {
      assertThat(topics).contains("edge/m" + i);
    }
  }

  @Test
  void aLoopThroughMosquittoThatTheStartCheckCannotSeeStopsAtTheHopLimit() throws Exception {
    // Two endpoints naming the same Mosquitto: to the start-time check they are two brokers, and
    // No Local does not hold either, as the message comes back over the other connection.
    startSidecar(
        List.of(endpoint("cloud", false), endpoint("cloud-again", false)),
        flow("up", null, "loop/#", "cloud", TopicTemplate.parse("loop/${2}"), "Raw"),
        flow("down", "cloud-again", "loop/#", null, TopicTemplate.parse("loop/${2}"), "Raw"));
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                sidecar.dataflows().endpoints().stream()
                    .allMatch(e -> e.state() == EndpointStatus.State.CONNECTED));
    Mqtt5BlockingClient device = embeddedClient("device-1");
    // The down flow subscribes once connected: probe until one has gone round to the hop limit.
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              device.publishWith().topic("loop/probe").payload(new byte[0]).send();
              return sidecar.dataflows().flows().get(0).looped() > 0;
            });
    Mqtt5BlockingClient upstream = mosquittoClient("loop-watcher", false);
    upstream.subscribeWith().topicFilter("loop/x").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes up = upstream.publishes(MqttGlobalPublishFilter.ALL);
    Mqtt5BlockingClient.Mqtt5Publishes seen = device.publishes(MqttGlobalPublishFilter.ALL);
    device.subscribeWith().topicFilter("loop/x").qos(MqttQos.AT_LEAST_ONCE).send();
    long loopedBefore = sidecar.dataflows().flows().get(0).looped();
    device
        .publishWith()
        .topic("loop/x")
        .payload("once".getBytes())
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();

    // Each round trip adds two hops: up forwards hops 0, 2, 4, 6 and stops the one with 8.
    int rounds = HopLimit.MAX_HOPS / 2;
    for (int i = 0; i < rounds; i++) {
      String hops = Integer.toString(2 * i + 1);
      assertThat(receive(up).getUserProperties().asList())
          .anyMatch(
              p ->
                  p.getName().toString().equals(HopLimit.HOPS)
                      && p.getValue().toString().equals(hops));
    }
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(() -> sidecar.dataflows().flows().get(0).looped() > loopedBefore);
    assertThat(up.receive(1, TimeUnit.SECONDS)).as("no copy past the hop limit").isEmpty();
    int copies = 0;
    while (seen.receive(1, TimeUnit.SECONDS).isPresent()) {
      copies++;
    }
    assertThat(copies).as("the original and one copy per round").isEqualTo(rounds + 1);
    String metrics =
        HttpCalls.get(URI.create("http://127.0.0.1:" + sidecar.httpAddress().getPort()), "/metrics")
            .body();
    assertThat(metrics)
        .containsPattern("dataflow_messages_total\\{dataflow=\"up\",outcome=\"looped\"} [1-9]");
  }
}
