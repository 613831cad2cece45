package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.Mqtt5Packets.connect;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.intProp;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.parsePublish;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.props;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.subscribe;
import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static dev.mqttsidecar.broker.testing.RawMqttClient.packet;
import static dev.mqttsidecar.broker.testing.RawMqttClient.u16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.Mqtt5Packets;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that reads nothing cannot make the broker hold its messages in the connection: QoS
 * 1/2 messages wait in the session's bounded queue while the connection's unsent bytes are over
 * their bound, whatever Receive Maximum the client announced, and all arrive once it reads.
 */
class SlowSubscriberIT {
  private static final int MESSAGES = 256;
  private static final int PAYLOAD = 1024 * 1024;

  @Test
  void unsentBytesAreBoundedAndNothingIsLost() throws Exception {
    BrokerConfig.Builder config =
        BrokerConfig.builder().maxInflightOutbound(65535).maxQueuedMessages(MESSAGES);
    try (BrokerFixture f = BrokerFixture.start(config);
        RawMqttClient slow = RawMqttClient.connect("127.0.0.1", f.port())) {
      slow.send(connect("slow", 0, props(intProp(0x21, 2, 65535)))); // Receive Maximum
      assertThat(slow.read().type()).isEqualTo(RawMqttClient.CONNACK);
      slow.send(subscribe(1, props(), "big/#", 1));
      assertThat(slow.read().type()).isEqualTo(RawMqttClient.SUBACK);

      List<CompletableFuture<PublishResult>> published = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        byte[] payload = new byte[PAYLOAD];
        ByteBuffer.wrap(payload).putInt(i);
        published.add(
            f.broker().publish(Message.of("big/" + i, payload, Qos.AT_LEAST_ONCE, false)));
      }
      CompletableFuture.allOf(published.toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);

      // Whatever the socket buffers took, the rest waits in the queue, not in the connection.
      Session session = f.services().sessions().get("slow");
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> session.inflightCount().get(5, TimeUnit.SECONDS) < MESSAGES / 4);

      Set<Integer> received = new HashSet<>();
      for (int i = 0; i < MESSAGES; i++) {
        Mqtt5Packets.Publish p = parsePublish(slow.read(Duration.ofSeconds(10)));
        received.add(ByteBuffer.wrap(p.payload()).getInt());
        slow.send(packet(0x40, RawMqttClient.concat(u16(p.packetId()), bytes(0)))); // PUBACK
      }
      assertThat(received).hasSize(MESSAGES);
    }
  }
}
