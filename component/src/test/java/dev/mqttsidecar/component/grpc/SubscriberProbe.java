package dev.mqttsidecar.component.grpc;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.component.pubsub.Devices;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An MQTT 5 device (hivemq-mqtt-client) subscribed to every topic, state keys included, that tells
 * whether it still receives messages. A client disconnects on a packet it finds malformed, such as
 * a user property with U+0000 [MQTT-1.5.4-2]: no request of daprd's may lead the broker to send
 * one.
 */
final class SubscriberProbe implements AutoCloseable {
  private static final String MARKER = "probe/marker";

  private final Broker broker;
  private final Mqtt5BlockingClient device;
  private volatile CountDownLatch marker = new CountDownLatch(1);

  SubscriberProbe(Broker broker, int port) {
    this.broker = broker;
    this.device = Devices.mqtt5(port);
    device
        .toAsync()
        .publishes(
            MqttGlobalPublishFilter.ALL,
            p -> {
              if (p.getTopic().toString().equals(MARKER)) {
                marker.countDown();
              }
            });
    // QoS 0 for the flood, 1 for the marker: the broker may drop QoS 0 messages under load.
    device.subscribeWith().topicFilter("#").qos(MqttQos.AT_MOST_ONCE).send();
    device.subscribeWith().topicFilter("$dapr/#").qos(MqttQos.AT_MOST_ONCE).send();
    device.subscribeWith().topicFilter(MARKER).qos(MqttQos.AT_LEAST_ONCE).send();
  }

  /** Publishes a marker and waits up to {@code seconds} for the device to receive it. */
  boolean stillReceives(long seconds) throws InterruptedException {
    CountDownLatch seen = new CountDownLatch(1);
    marker = seen;
    broker.publish(
        new Message(
            MARKER,
            "m".getBytes(StandardCharsets.UTF_8),
            Qos.AT_LEAST_ONCE,
            false,
            MessageProperties.NONE,
            null));
    return seen.await(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (device.getState().isConnected()) {
      device.disconnect();
    }
  }
}
