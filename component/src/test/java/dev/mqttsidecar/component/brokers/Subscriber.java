package dev.mqttsidecar.component.brokers;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * An MQTT 5 subscriber that keeps every payload it receives, across reconnects to any node. Its
 * messages are acknowledged after they are recorded (the client's automatic PUBACK follows the
 * callback), so a message the broker counts as delivered is in {@link #received()}.
 */
final class Subscriber implements AutoCloseable {
  private final String id;
  private final long sessionExpirySeconds;
  private final Queue<String> received = new ConcurrentLinkedQueue<>();
  private Mqtt5AsyncClient client;

  Subscriber(String id, long sessionExpirySeconds) {
    this.id = id;
    this.sessionExpirySeconds = sessionExpirySeconds;
  }

  /** Connects to the node's port without a clean start and returns the CONNACK. */
  Mqtt5ConnAck connect(int port) throws Exception {
    client =
        Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port).buildAsync();
    client.publishes(
        com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL,
        p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
    return client
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(sessionExpirySeconds)
        .send()
        .get(30, TimeUnit.SECONDS);
  }

  void subscribe(String filter) throws Exception {
    client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(30, TimeUnit.SECONDS);
  }

  /** Received payloads that start with {@code prefix}, in arrival order, duplicates included. */
  List<String> received(String prefix) {
    return received.stream().filter(p -> p.startsWith(prefix)).toList();
  }

  List<String> received() {
    return List.copyOf(received);
  }

  /** DISCONNECT, keeping the session for its expiry interval. */
  void disconnect() throws Exception {
    if (client != null && client.getState().isConnected()) {
      client.disconnect().get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    disconnect();
  }
}
