package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.Mqtt5Packets.intProp;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.parsePublish;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.props;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.varIntProp;
import static dev.mqttsidecar.broker.testing.RawMqttClient.CONNACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.DISCONNECT;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBLISH;
import static dev.mqttsidecar.broker.testing.RawMqttClient.SUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.Mqtt5Packets;
import dev.mqttsidecar.broker.testing.Mqtt5Packets.Publish;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT 5 delivery features: Subscription Identifiers, outbound Topic Aliases, the client's Maximum
 * Packet Size and the Payload Format Indicator check.
 */
@ExtendWith(LeakCheck.class)
class Mqtt5DeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final int SUBSCRIPTION_ID = 0x0B;
  private static final int TOPIC_ALIAS = 0x23;

  private static RawMqttClient connect(BrokerFixture f, String id, byte[] props) throws Exception {
    RawMqttClient c = f.raw();
    c.send(Mqtt5Packets.connect(id, 30, props));
    Packet ack = c.read();
    assertThat(ack.type()).isEqualTo(CONNACK);
    assertThat(ack.body()[1]).isZero();
    return c;
  }

  private static void send(BrokerFixture f, String topic, Qos qos, int size) {
    f.broker().publish(Message.of(topic, new byte[size], qos, false)).join();
  }

  @Test
  void subscriptionIdentifiersComeWithEveryMatchingMessage() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      RawMqttClient c = connect(f, "sid", props());
      c.send(Mqtt5Packets.subscribe(1, props(varIntProp(SUBSCRIPTION_ID, 7)), "a/+", 1));
      assertThat(c.readType(SUBACK).body()).endsWith(1);
      c.send(Mqtt5Packets.subscribe(2, props(varIntProp(SUBSCRIPTION_ID, 300)), "a/#", 1));
      assertThat(c.readType(SUBACK).body()).endsWith(1);
      c.send(Mqtt5Packets.subscribe(3, props(), "b", 0));
      c.readType(SUBACK);

      send(f, "a/b", Qos.AT_MOST_ONCE, 1);
      Publish both = parsePublish(c.readType(PUBLISH));
      // One PUBLISH carrying the identifiers of both overlapping subscriptions [MQTT-3.3.4-3],
      // [MQTT-3.3.4-5].
      assertThat(both.all(SUBSCRIPTION_ID)).containsExactlyInAnyOrder(7, 300);

      send(f, "a", Qos.AT_MOST_ONCE, 1); // only "a/#" matches
      assertThat(parsePublish(c.readType(PUBLISH)).all(SUBSCRIPTION_ID)).containsExactly(300);

      send(f, "b", Qos.AT_MOST_ONCE, 1); // a subscription without an identifier: none sent
      assertThat(parsePublish(c.readType(PUBLISH)).all(SUBSCRIPTION_ID)).isEmpty();
    }
  }

  @Test
  void retainedMessagesSentOnSubscribeCarryTheSubscriptionIdentifier() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      f.broker().publish(Message.of("r/1", bytes(1), Qos.AT_LEAST_ONCE, true)).join();
      RawMqttClient c = connect(f, "sid-r", props());
      c.send(Mqtt5Packets.subscribe(1, props(varIntProp(SUBSCRIPTION_ID, 42)), "r/#", 1));
      Publish p = parsePublish(c.readType(PUBLISH));
      assertThat(p.topic()).isEqualTo("r/1");
      assertThat(p.all(SUBSCRIPTION_ID)).containsExactly(42); // [MQTT-3.3.4-3]
    }
  }

  @Test
  void sharedSubscriptionsCarryTheMembersSubscriptionIdentifier() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      RawMqttClient c = connect(f, "sid-shared", props());
      c.send(Mqtt5Packets.subscribe(1, props(varIntProp(SUBSCRIPTION_ID, 11)), "$share/g/s/#", 1));
      c.readType(SUBACK);
      send(f, "s/1", Qos.AT_MOST_ONCE, 1);
      assertThat(parsePublish(c.readType(PUBLISH)).all(SUBSCRIPTION_ID)).containsExactly(11);
      send(f, "s/2", Qos.AT_LEAST_ONCE, 1);
      Publish p = parsePublish(c.readType(PUBLISH));
      assertThat(p.qos()).isEqualTo(1);
      assertThat(p.all(SUBSCRIPTION_ID)).containsExactly(11); // [MQTT-3.3.4-3]
    }
  }

  @Test
  void queuedMessagesKeepTheirSubscriptionIdentifiersAcrossARestart(@TempDir Path dir)
      throws Exception {
    BrokerConfig.Builder durable =
        BrokerConfig.builder().dataDirectory(dir).durability(Durability.FSYNC);
    byte[] sessionExpiry = props(intProp(0x11, 4, 3600));
    try (BrokerFixture f = BrokerFixture.start(durable)) {
      try (RawMqttClient c = f.raw()) {
        c.send(Mqtt5Packets.connect("sid-keep", true, 30, sessionExpiry));
        c.readType(CONNACK);
        c.send(Mqtt5Packets.subscribe(1, props(varIntProp(SUBSCRIPTION_ID, 9)), "k/#", 1));
        c.readType(SUBACK);
        c.send(RawMqttClient.DISCONNECT_311); // normal disconnection; the session stays
        assertThat(c.closedWithin(WAIT)).isTrue();
      }
      send(f, "k/1", Qos.AT_LEAST_ONCE, 1); // queued for the offline session, and stored
    }
    try (BrokerFixture f = BrokerFixture.start(durable);
        RawMqttClient c = f.raw()) {
      c.send(Mqtt5Packets.connect("sid-keep", false, 30, sessionExpiry));
      assertThat(c.readType(CONNACK).body()[0]).as("session present").isEqualTo((byte) 1);
      Publish p = parsePublish(c.readType(PUBLISH));
      assertThat(p.topic()).isEqualTo("k/1");
      assertThat(p.all(SUBSCRIPTION_ID)).containsExactly(9); // [MQTT-3.3.4-3]
    }
  }

  @Test
  void subscriptionIdentifierZeroIsAProtocolError() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      RawMqttClient c = connect(f, "sid-0", props());
      c.send(Mqtt5Packets.subscribe(1, props(varIntProp(SUBSCRIPTION_ID, 0)), "a", 1));
      Packet p = c.readType(DISCONNECT);
      assertThat(p.body()[0] & 0xFF).isEqualTo(0x82); // section 3.8.2.1.2
    }
  }

  @Test
  void hivemqClientSeesSubscriptionIdentifiersAvailable() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      Mqtt5BlockingClient c = f.mqtt5("sid-h").buildBlocking();
      assertThat(c.connect().getRestrictions().areSubscriptionIdentifiersAvailable()).isTrue();
      f.track(c);
      try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
        c.subscribeWith().topicFilter("h/#").qos(MqttQos.AT_LEAST_ONCE).send();
        send(f, "h/1", Qos.AT_LEAST_ONCE, 3);
        Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
        assertThat(p).isPresent();
        assertThat(p.get().getTopic().toString()).isEqualTo("h/1");
      }
    }
  }

  @Test
  void outboundTopicAliasesAreAssignedUpToTheClientsMaximum() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      RawMqttClient c = connect(f, "alias", props(intProp(0x22, 2, 2))); // Topic Alias Maximum 2
      c.send(Mqtt5Packets.subscribe(1, props(), "t/#", 0));
      c.readType(SUBACK);
      String[] topics = {"t/1", "t/1", "t/2", "t/3", "t/1", "t/3"};
      for (String t : topics) {
        send(f, t, Qos.AT_MOST_ONCE, 1);
      }
      Publish[] got = new Publish[topics.length];
      for (int i = 0; i < topics.length; i++) {
        got[i] = parsePublish(c.readType(PUBLISH));
      }
      // First use: topic and alias; later: alias only; never past the maximum [MQTT-3.1.2-26],
      // [MQTT-3.3.2-11]: t/3 has no alias left and goes out in full.
      assertThat(got[0].topic()).isEqualTo("t/1");
      assertThat(got[0].first(TOPIC_ALIAS)).isEqualTo(1);
      assertThat(got[1].topic()).isEmpty();
      assertThat(got[1].first(TOPIC_ALIAS)).isEqualTo(1);
      assertThat(got[2].topic()).isEqualTo("t/2");
      assertThat(got[2].first(TOPIC_ALIAS)).isEqualTo(2);
      assertThat(got[3].topic()).isEqualTo("t/3");
      assertThat(got[3].first(TOPIC_ALIAS)).isNull();
      assertThat(got[4].topic()).isEmpty();
      assertThat(got[4].first(TOPIC_ALIAS)).isEqualTo(1);
      assertThat(got[5].topic()).isEqualTo("t/3");
      assertThat(got[5].first(TOPIC_ALIAS)).isNull();
    }
  }

  @Test
  void noTopicAliasesForAClientThatDidNotAllowThem() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      RawMqttClient c = connect(f, "no-alias", props());
      c.send(Mqtt5Packets.subscribe(1, props(), "t", 0));
      c.readType(SUBACK);
      send(f, "t", Qos.AT_MOST_ONCE, 1);
      send(f, "t", Qos.AT_MOST_ONCE, 1);
      for (int i = 0; i < 2; i++) {
        Publish p = parsePublish(c.readType(PUBLISH));
        assertThat(p.topic()).isEqualTo("t"); // [MQTT-3.1.2-27]
        assertThat(p.first(TOPIC_ALIAS)).isNull();
      }
    }
  }

  @Test
  void hivemqClientReceivesAliasedTopicsCorrectly() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      Mqtt5BlockingClient c = f.mqtt5("alias-h").buildBlocking();
      c.connectWith().restrictions().topicAliasMaximum(1).applyRestrictions().send();
      f.track(c);
      try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
        c.subscribeWith().topicFilter("x/#").send();
        for (int i = 0; i < 6; i++) {
          send(f, "x/" + (i % 2), Qos.AT_MOST_ONCE, 1);
        }
        for (int i = 0; i < 6; i++) {
          Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
          assertThat(p).isPresent();
          assertThat(p.get().getTopic().toString()).isEqualTo("x/" + (i % 2));
        }
      }
    }
  }

  @Test
  void packetsLargerThanTheClientsMaximumAreDroppedAndCounted() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().sysInterval(Duration.ofMillis(200)))) {
      // Maximum Packet Size 100 and Receive Maximum 1: a dropped QoS 1 message that were left in
      // flight would block every later one.
      RawMqttClient c = connect(f, "small", props(intProp(0x27, 4, 100), intProp(0x21, 2, 1)));
      c.send(Mqtt5Packets.subscribe(1, props(), "m", 1));
      c.readType(SUBACK);
      send(f, "m", Qos.AT_LEAST_ONCE, 10);
      send(f, "m", Qos.AT_LEAST_ONCE, 200);
      send(f, "m", Qos.AT_LEAST_ONCE, 20);
      Publish first = parsePublish(c.readType(PUBLISH));
      assertThat(first.payload()).hasSize(10);
      c.send(RawMqttClient.pubAck(PUBACK, first.packetId()));
      // The 200-byte message is discarded as if sent [MQTT-3.1.2-24], [MQTT-3.1.2-25].
      Publish next = parsePublish(c.readType(PUBLISH));
      assertThat(next.payload()).hasSize(20);

      Mqtt5BlockingClient watcher = f.connect5("watch");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
        watcher.subscribeWith().topicFilter("$SYS/broker/publish/messages/dropped").send();
        Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
        assertThat(p).isPresent();
        assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo("1");
      }
    }
  }

  @Test
  void payloadMarkedUtf8ThatIsNotIsRejectedWith0x99() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      Mqtt5BlockingClient sub = f.connect5("pf-sub");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
        sub.subscribeWith().topicFilter("pf").qos(MqttQos.AT_LEAST_ONCE).send();
        RawMqttClient c = connect(f, "pf-pub", props());
        byte[] utf8 = props(intProp(0x01, 1, 1)); // Payload Format Indicator 1
        c.send(Mqtt5Packets.publish("pf", 1, 5, utf8, bytes(0xC3, 0x28))); // ill-formed UTF-8
        Packet ack = c.readType(PUBACK);
        assertThat(RawMqttClient.u16(ack.body(), 0)).isEqualTo(5);
        assertThat(ack.body()[2] & 0xFF).isEqualTo(0x99); // section 3.3.2.3.2
        c.send(Mqtt5Packets.publish("pf", 1, 6, utf8, "gr\u00fc\u00df".getBytes(UTF_8)));
        assertThat(c.readType(PUBACK).body()).hasSize(2); // success
        Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
        assertThat(p).isPresent(); // only the well-formed one is forwarded
        assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo("gr\u00fc\u00df");
        assertThat(p.get().getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
        assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();

        c.send(Mqtt5Packets.publish("pf", 0, 0, utf8, bytes(0xFF))); // QoS 0: no ack to carry it
        Packet d = c.readType(DISCONNECT);
        assertThat(d.body()[0] & 0xFF).isEqualTo(0x99);
      }
    }
  }

  @Test
  void noLocalKeepsAClientsOwnMessagesFromIt() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      Mqtt5BlockingClient c = f.connect5("nl");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
        c.subscribeWith().topicFilter("nl/#").noLocal(true).send();
        c.publishWith().topic("nl/own").qos(MqttQos.AT_LEAST_ONCE).send();
        f.connect5("other").publishWith().topic("nl/other").qos(MqttQos.AT_LEAST_ONCE).send();
        Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
        assertThat(p).isPresent();
        assertThat(p.get().getTopic().toString()).isEqualTo("nl/other"); // [MQTT-3.8.3-3]
        assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
      }
    }
  }
}
