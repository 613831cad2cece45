package dev.mqttsidecar.component.brokers;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;

/** An MQTT 5 publisher on one node whose QoS 1 publish returns once the broker PUBACKed it. */
final class Publisher implements AutoCloseable {
  private final Mqtt5BlockingClient client;

  Publisher(String id, int port) {
    client =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    client.connect();
  }

  /** Publishes at QoS 1; returns normally only when the broker acknowledged it. */
  void publish(String topic, String payload) {
    Mqtt5PublishResult result =
        client
            .publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(payload.getBytes(StandardCharsets.UTF_8))
            .send();
    result
        .getError()
        .ifPresent(
            e -> {
              throw new IllegalStateException("not acknowledged: " + payload, e);
            });
  }

  @Override
  public void close() {
    if (client.getState().isConnected()) {
      client.disconnect();
    }
  }
}
