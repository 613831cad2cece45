package dev.mqttsidecar.broker.testing;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.persistence.Storage;
import dev.mqttsidecar.broker.server.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A broker on 127.0.0.1 and a free port, plus client factories; closing it disconnects the clients
 * it made and stops the broker.
 */
public final class BrokerFixture implements AutoCloseable {
  private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(10);
  private final EmbeddedBroker broker;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private BrokerFixture(EmbeddedBroker broker) {
    this.broker = broker;
  }

  /** Starts a broker with default settings on a free port. */
  public static BrokerFixture start() throws Exception {
    return start(BrokerConfig.builder());
  }

  /**
   * Starts a broker with {@code config}. A configuration with the one default listener gets it on
   * 127.0.0.1:0; listeners a test chose are kept as they are (they should bind 127.0.0.1, port 0).
   * Unless the test chose a data directory the broker keeps everything in memory, so no test writes
   * into the working directory.
   */
  public static BrokerFixture start(BrokerConfig.Builder config) throws Exception {
    BrokerConfig built = config.build();
    if (built.listeners().size() == 1
        && built.listeners().get(0).name().equals(Listener.DEFAULT_NAME)
        && built.listeners().get(0).tls() == null
        && built.listeners().get(0).protocol() == Listener.Protocol.MQTT) {
      built = config.host("127.0.0.1").port(0).build();
    }
    if (built.dataDirectory().equals(BrokerConfig.DEFAULT_DATA_DIRECTORY)) {
      built = built.toBuilder().durability(Durability.MEMORY).build();
    }
    EmbeddedBroker broker = new EmbeddedBroker(built);
    broker.start();
    return new BrokerFixture(broker);
  }

  /**
   * Starts a broker with {@code config} (host and port overridden to 127.0.0.1:0) on {@code
   * storage}, which the test may read while the broker runs; stopping the broker closes it.
   */
  public static BrokerFixture start(BrokerConfig.Builder config, Storage storage) throws Exception {
    EmbeddedBroker broker = new EmbeddedBroker(config.host("127.0.0.1").port(0).build(), storage);
    broker.start();
    return new BrokerFixture(broker);
  }

  public Broker broker() {
    return broker;
  }

  /** The broker's internal services, for tests that observe sessions and counters. */
  public BrokerServices services() {
    return broker.services();
  }

  /** The port of the first listener. */
  public int port() {
    return broker.mqttAddress().getPort();
  }

  /** The port of the listener named {@code listener}. */
  public int port(String listener) {
    return broker.mqttAddress(listener).getPort();
  }

  /** Waits until exactly {@code count} connected subscribers match {@code topic}. */
  public void awaitSubscribers(String topic, int count) {
    awaitSubscribers(broker, topic, count);
  }

  /**
   * Waits until exactly {@code count} connected subscribers of {@code broker} match {@code topic}:
   * from then on a publish to {@code topic} reaches them (or, at zero, no subscriber online).
   */
  public static void awaitSubscribers(Broker broker, String topic, int count) {
    Awaitility.await("%d connected subscriber(s) on %s".formatted(count, topic))
        .atMost(SUBSCRIBE_WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> broker.connectedSubscribers(topic) == count);
  }

  /** An MQTT 5 client builder pointed at the broker (not connected). */
  public com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder mqtt5(String clientId) {
    return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port());
  }

  /**
   * An MQTT 5 client builder pointed at the broker that adds the reason code of every DISCONNECT
   * the broker sends it to {@code seen} (synchronized on {@code seen}).
   */
  public com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder mqtt5RecordingDisconnects(
      String clientId, List<Mqtt5DisconnectReasonCode> seen) {
    return mqtt5(clientId)
        .addDisconnectedListener(
            ctx -> {
              if (ctx.getCause() instanceof Mqtt5DisconnectException e) {
                synchronized (seen) {
                  seen.add(e.getMqttMessage().getReasonCode());
                }
              }
            });
  }

  /** An MQTT 3.1.1 client builder pointed at the broker (not connected). */
  public com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder mqtt3(String clientId) {
    return Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port());
  }

  /** A connected MQTT 5 blocking client with a clean start. */
  public Mqtt5BlockingClient connect5(String clientId) {
    Mqtt5BlockingClient c = mqtt5(clientId).buildBlocking();
    c.connect();
    track(c);
    return c;
  }

  /** A connected MQTT 3.1.1 blocking client with a clean session. */
  public Mqtt3BlockingClient connect3(String clientId) {
    Mqtt3BlockingClient c = mqtt3(clientId).buildBlocking();
    c.connect();
    track(c);
    return c;
  }

  /** A raw client connected to the broker's port (no MQTT CONNECT sent yet). */
  public RawMqttClient raw() throws Exception {
    RawMqttClient c = RawMqttClient.connect("127.0.0.1", port());
    closeables.add(c);
    return c;
  }

  /** Disconnects {@code client} when the fixture closes, if still connected. */
  public void track(Mqtt5BlockingClient client) {
    closeables.add(
        () -> {
          if (client.getState().isConnected()) {
            client.disconnect();
          }
        });
  }

  public void track(Mqtt3BlockingClient client) {
    closeables.add(
        () -> {
          if (client.getState().isConnected()) {
            client.disconnect();
          }
        });
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    broker.stop();
  }
}
