package dev.mqttsidecar.component.pubsub;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** MQTT devices (hivemq-mqtt-client) on the sidecar's broker. */
public final class Devices {
  private Devices() {}

  public static Mqtt5BlockingClient mqtt5(int port) {
    Mqtt5BlockingClient client =
        Mqtt5Client.builder()
            .identifier("device-" + UUID.randomUUID())
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    client.connect();
    return client;
  }

  static Mqtt3BlockingClient mqtt3(int port) {
    Mqtt3BlockingClient client =
        Mqtt3Client.builder()
            .identifier("device3-" + UUID.randomUUID())
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    client.connect();
    return client;
  }

  /**
   * Subscribes and returns the stream of publishes (opened before subscribing, so none is missed).
   */
  static Mqtt5BlockingClient.Mqtt5Publishes subscribe(Mqtt5BlockingClient client, String filter) {
    Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL);
    client.subscribeWith().topicFilter(filter).qos(MqttQos.EXACTLY_ONCE).send();
    return publishes;
  }

  static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes publishes, Duration timeout)
      throws InterruptedException {
    Optional<Mqtt5Publish> publish = publishes.receive(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (publish.isEmpty()) {
      throw new AssertionError("the device received nothing within " + timeout);
    }
    return publish.get();
  }

  public static Map<String, String> userProperties(Mqtt5Publish publish) {
    return publish.getUserProperties().asList().stream()
        .collect(
            Collectors.toMap(
                p -> p.getName().toString(), p -> p.getValue().toString(), (a, b) -> b));
  }

  public static String contentType(Mqtt5Publish publish) {
    return publish.getContentType().map(Object::toString).orElse(null);
  }
}
