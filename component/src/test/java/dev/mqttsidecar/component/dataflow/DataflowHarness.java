package dev.mqttsidecar.component.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.component.Sidecar;
import dev.mqttsidecar.component.config.SidecarSettings;
import dev.mqttsidecar.component.endpoint.EndpointStatus;
import dev.mqttsidecar.component.socket.SocketPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * An in-process sidecar (in-memory store, free port) running the dataflows of a test, and the MQTT
 * clients the test opened on it or on an upstream broker; {@link #close()} disconnects and stops
 * them all. The upstream broker itself belongs to the test.
 */
final class DataflowHarness implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  private final Path dir;
  private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
  private Sidecar sidecar;

  DataflowHarness(Path dir) {
    this.dir = dir;
  }

  /** Starts the sidecar with {@code dataflows}; the harness stops it. */
  Sidecar start(DataflowSettings dataflows) throws Exception {
    BrokerConfig broker = BrokerConfig.builder().port(0).durability(Durability.MEMORY).build();
    sidecar =
        new Sidecar(
            SidecarSettings.of(new SocketPath(dir, "mqtt-sidecar"), broker, Duration.ofSeconds(2))
                .withDataflows(dataflows));
    sidecar.start();
    return sidecar;
  }

  /** Waits until the first endpoint is connected. */
  void awaitEndpointConnected() {
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () -> sidecar.dataflows().endpoints().get(0).state() == EndpointStatus.State.CONNECTED);
  }

  /** An MQTT 5 client of 127.0.0.1:{@code port}, not connected yet; {@code user} may be null. */
  Mqtt5BlockingClient client(String id, int port, String user, String password) {
    Mqtt5ClientBuilder builder =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port);
    if (user != null) {
      builder =
          builder
              .simpleAuth()
              .username(user)
              .password(password.getBytes(StandardCharsets.UTF_8))
              .applySimpleAuth();
    }
    Mqtt5BlockingClient c = builder.buildBlocking();
    clients.add(c);
    return c;
  }

  /** A connected client of the sidecar's embedded broker. */
  Mqtt5BlockingClient embedded(String id) {
    Mqtt5BlockingClient c = client(id, sidecar.broker().mqttAddress().getPort(), null, null);
    c.connect();
    return c;
  }

  /** The next message within {@link #WAIT}; fails without one. */
  static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes publishes)
      throws InterruptedException {
    Optional<Mqtt5Publish> p = publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(p).as("a message within " + WAIT).isPresent();
    return p.get();
  }

  static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    for (Mqtt5BlockingClient c : clients) {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    }
    if (sidecar != null) {
      sidecar.close();
    }
  }
}
