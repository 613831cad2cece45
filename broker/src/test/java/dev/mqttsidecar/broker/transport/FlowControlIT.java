package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.Mqtt5Packets.intProp;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.parsePublish;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.props;
import static dev.mqttsidecar.broker.testing.RawMqttClient.CONNACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBLISH;
import static dev.mqttsidecar.broker.testing.RawMqttClient.SUBACK;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.Mqtt5Packets;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client's Receive Maximum on outbound QoS 1/2 messages, and a slow consumer's bounds. */
@ExtendWith(LeakCheck.class)
class FlowControlIT {

  private static RawMqttClient slowSubscriber(BrokerFixture f, String id, int receiveMaximum)
      throws Exception {
    RawMqttClient c = f.raw();
    c.send(Mqtt5Packets.connect(id, 60, props(intProp(0x21, 2, receiveMaximum))));
    assertThat(c.read().type()).isEqualTo(CONNACK);
    c.send(Mqtt5Packets.subscribe(1, props(), "flow/#", 1));
    c.readType(SUBACK);
    return c;
  }

  @Test
  void neverMoreUnacknowledgedPublishesThanTheClientsReceiveMaximum() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      RawMqttClient c = slowSubscriber(f, "rm2", 2);
      Mqtt5BlockingClient pub = f.connect5("pub");
      for (int i = 0; i < 5; i++) {
        pub.publishWith()
            .topic("flow/a")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(new byte[] {(byte) i})
            .send();
      }
      Packet first = c.read();
      Packet second = c.read();
      assertThat(first.type()).isEqualTo(PUBLISH);
      assertThat(second.type()).isEqualTo(PUBLISH);
      // Two in flight: nothing more until one is acknowledged [MQTT-3.3.4-9].
      assertThat(assertNothingWithin(c, Duration.ofMillis(400))).isTrue();
      c.send(RawMqttClient.pubAck(PUBACK, parsePublish(first).packetId()));
      Packet third = c.read();
      assertThat(parsePublish(third).payload()).containsExactly(2);
      assertThat(assertNothingWithin(c, Duration.ofMillis(300))).isTrue();
    }
  }

  private static boolean assertNothingWithin(RawMqttClient c, Duration d) throws Exception {
    try {
      Packet p = c.read(d);
      throw new AssertionError("unexpected " + p);
    } catch (java.net.SocketTimeoutException expected) {
      return true;
    }
  }

  private static boolean quotaExceeded(Throwable e) {
    Throwable t = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
    return t instanceof Mqtt5PubAckException ack
        && ack.getMqttMessage().getReasonCode() == Mqtt5PubAckReasonCode.QUOTA_EXCEEDED;
  }

  @Test
  void aSlowConsumerDoesNotHoldUpOthersAndItsQueueStaysBounded() throws Exception {
    int queueLimit = 200;
    int messages = 2000;
    try (BrokerFixture f =
        BrokerFixture.start(
            BrokerConfig.builder()
                .maxQueuedMessages(queueLimit)
                .sysInterval(Duration.ofMillis(200)))) {
      RawMqttClient slow = slowSubscriber(f, "slow", 1); // Receive Maximum 1, never acknowledges

      Mqtt5AsyncClient fast = f.mqtt5("fast").buildAsync();
      fast.connect().join();
      CountDownLatch all = new CountDownLatch(messages);
      fast.subscribeWith()
          .topicFilter("flow/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> all.countDown())
          .send()
          .join();

      Mqtt5AsyncClient pub = f.mqtt5("firehose").buildAsync();
      pub.connect().join();
      // Batches of 20 keep the publisher's pace near what a live consumer takes, so the fast
      // subscriber (window 100 plus a queue of 200) never falls behind; the slow one drops all but
      // the first queueLimit + 1.
      List<CompletableFuture<Integer>> sent = new ArrayList<>();
      for (int batch = 0; batch < messages / 20; batch++) {
        List<CompletableFuture<Integer>> current = new ArrayList<>();
        for (int i = batch * 20; i < (batch + 1) * 20; i++) {
          current.add(
              pub.publishWith()
                  .topic("flow/x")
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(("m" + i).getBytes(UTF_8))
                  .send()
                  .handle((r, e) -> quotaExceeded(e) ? 1 : 0));
        }
        CompletableFuture.allOf(current.toArray(CompletableFuture[]::new))
            .get(10, TimeUnit.SECONDS);
        sent.addAll(current);
      }
      // The publisher learns of each drop: PUBACK 0x97 Quota exceeded.
      assertThat(sent.stream().mapToInt(CompletableFuture::join).sum())
          .isEqualTo(messages - queueLimit - 1);
      // The fast subscriber gets every message although the slow one takes none.
      assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();

      // The slow one holds 1 in flight and its queue holds queueLimit: every other message was
      // dropped and counted, so its memory is bounded by maxQueuedMessages.
      Mqtt5BlockingClient watcher = f.connect5("watch");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
        watcher.subscribeWith().topicFilter("$SYS/broker/publish/messages/dropped").send();
        Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
        assertThat(p).isPresent();
        assertThat(Long.parseLong(new String(p.get().getPayloadAsBytes(), UTF_8)))
            .isEqualTo(messages - queueLimit - 1L);
      }
      assertThat(parsePublish(slow.readType(PUBLISH)).payload()).isEqualTo("m0".getBytes(UTF_8));
      fast.disconnect().join();
      pub.disconnect().join();
    }
  }
}
