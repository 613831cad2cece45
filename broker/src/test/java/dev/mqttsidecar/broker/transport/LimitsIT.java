package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static dev.mqttsidecar.broker.testing.RawMqttClient.concat;
import static dev.mqttsidecar.broker.testing.RawMqttClient.packet;
import static dev.mqttsidecar.broker.testing.RawMqttClient.str;
import static dev.mqttsidecar.broker.testing.RawMqttClient.u16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import dev.mqttsidecar.broker.testing.SysValues;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Configurable limits and the reason codes they produce; authorization hooks; topic aliases. */
@ExtendWith(LeakCheck.class)
class LimitsIT {
  private static final Duration WAIT = Duration.ofSeconds(3);

  @Test
  void connAckAdvertisesTheLimits() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(
            BrokerConfig.builder().receiveMaximum(7).maxPacketSize(5000).topicAliasMaximum(3))) {
      Mqtt5BlockingClient c = f.mqtt5("adv").buildBlocking();
      Mqtt5ConnAck ack = c.connect();
      assertThat(ack.getRestrictions().getReceiveMaximum()).isEqualTo(7);
      assertThat(ack.getRestrictions().getMaximumPacketSize()).isEqualTo(5000);
      assertThat(ack.getRestrictions().getTopicAliasMaximum()).isEqualTo(3);
      assertThat(ack.getRestrictions().areSubscriptionIdentifiersAvailable()).isTrue();
      assertThat(ack.getRestrictions().isSharedSubscriptionAvailable()).isTrue();
      c.disconnect();
    }
  }

  @Test
  void receiveMaximumExceededDisconnectsWith0x93() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().receiveMaximum(2));
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect5("rm", true, 30));
      c.read();
      // QoS 2 publishes stay unacknowledged until PUBREL: three in a row exceed 2 [MQTT-3.3.4-9].
      for (int id = 1; id <= 3; id++) {
        c.send(RawMqttClient.publish5("t", 2, false, false, id, bytes(1)));
      }
      Packet p = c.readType(RawMqttClient.DISCONNECT);
      assertThat(p.body()[0] & 0xFF).isEqualTo(0x93);
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
  }

  @Test
  void topicLengthAndLevelLimitsApplyToPublish() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().maxTopicLength(10).maxTopicLevels(3))) {
      assertThat(
              f.broker()
                  .publish(Message.of("a/b/c/d", new byte[0], Qos.AT_MOST_ONCE, false))
                  .get()
                  .status())
          .isEqualTo(PublishResult.Status.INVALID_TOPIC);
      assertThat(
              f.broker()
                  .publish(Message.of("abcdefghijk", new byte[0], Qos.AT_MOST_ONCE, false))
                  .get()
                  .status())
          .isEqualTo(PublishResult.Status.INVALID_TOPIC);
      assertThat(
              f.broker()
                  .publish(Message.of("a/+", new byte[0], Qos.AT_MOST_ONCE, false))
                  .get()
                  .status())
          .isEqualTo(PublishResult.Status.INVALID_TOPIC);
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect5("long", true, 30));
        c.read();
        c.send(RawMqttClient.publish5("a/b/c/d", 1, false, false, 1, bytes(1)));
        Packet p = c.readType(RawMqttClient.DISCONNECT);
        assertThat(p.body()[0] & 0xFF).isEqualTo(0x90);
      }
    }
  }

  @Test
  void maxSubscriptionsPerClientGivesQuotaExceeded() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().maxSubscriptionsPerClient(2))) {
      Mqtt5BlockingClient c = f.connect5("subs");
      c.subscribeWith().topicFilter("a").send();
      c.subscribeWith().topicFilter("b").send();
      c.subscribeWith().topicFilter("a").qos(MqttQos.AT_LEAST_ONCE).send(); // replacing is fine
      Mqtt5SubAck ack;
      try {
        ack = c.subscribeWith().topicFilter("c").send();
      } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
        ack = e.getMqttMessage();
      }
      assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED);
    }
  }

  @Test
  void filtersOverTheTopicLimitsAreInvalidCountedAndLoggedOnce() throws Exception {
    try (BrokerFixture f =
            BrokerFixture.start(
                // Room for the $SYS topics the test reads
                BrokerConfig.builder()
                    .maxTopicLength(60)
                    .maxTopicLevels(6)
                    .sysInterval(Duration.ofMillis(100)));
        ErrorLogCapture log = ErrorLogCapture.warningsOf(ClientRefusals.class);
        RawMqttClient c5 = f.raw();
        RawMqttClient c3 = f.raw()) {
      c5.send(RawMqttClient.connect5("filters5", true, 30));
      c5.read();
      c5.send(RawMqttClient.subscribe5(1, "a/b/c/d/e/f/g", 1)); // seven levels
      assertThat(c5.readType(RawMqttClient.SUBACK).bytes())
          .containsExactly(0x90, 0x04, 0x00, 0x01, 0x00, 0x8F);
      c5.send(RawMqttClient.subscribe5(2, "x".repeat(61), 1)); // 61 bytes
      assertThat(c5.readType(RawMqttClient.SUBACK).bytes())
          .containsExactly(0x90, 0x04, 0x00, 0x02, 0x00, 0x8F);
      c3.send(RawMqttClient.connect311("filters311", true, 30));
      c3.read();
      c3.send(RawMqttClient.subscribe311(3, "a/b/c/d/e/f/g", 1));
      assertThat(c3.readType(RawMqttClient.SUBACK).bytes())
          .containsExactly(0x90, 0x03, 0x00, 0x03, 0x80); // 3.1.1's only failure code
      try (SysValues sys = SysValues.of(f)) {
        sys.await("subscriptions/invalid", "3");
      }
      assertThat(log.errors()).singleElement().asString().contains("filters5", "a/b/c/d/e/f/g");
    }
  }

  @Test
  void aPublishTopicOverTheLimitsClosesTheConnectionAndIsCounted() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(
            BrokerConfig.builder().maxTopicLength(60).sysInterval(Duration.ofMillis(100)))) {
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect5("long5", true, 30));
        c.read();
        c.send(RawMqttClient.publish5("t".repeat(61), 1, false, false, 1, bytes(1)));
        assertThat(c.readType(RawMqttClient.DISCONNECT).body()[0] & 0xFF).isEqualTo(0x90);
      }
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("long311", true, 30));
        c.read();
        c.send(RawMqttClient.publish311("t".repeat(61), 1, false, false, 1, bytes(1)));
        assertThat(c.closedWithin(WAIT)).isTrue(); // 3.1.1 has no way to say why
      }
      try (SysValues sys = SysValues.of(f)) {
        sys.await("publish/messages/dropped/invalid-topic", "2");
      }
    }
  }

  @Test
  void subscriptionsOverTheLimitAreRefusedIn311TooAndCounted() throws Exception {
    try (BrokerFixture f =
            BrokerFixture.start(
                BrokerConfig.builder()
                    .maxSubscriptionsPerClient(1)
                    .sysInterval(Duration.ofMillis(100)));
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("subs311", true, 30));
      c.read();
      c.send(RawMqttClient.subscribe311(1, "a", 1));
      assertThat(c.readType(RawMqttClient.SUBACK).bytes()).containsExactly(0x90, 0x03, 0, 1, 1);
      c.send(RawMqttClient.subscribe311(2, "b", 1));
      assertThat(c.readType(RawMqttClient.SUBACK).bytes()).containsExactly(0x90, 0x03, 0, 2, 0x80);
      try (SysValues sys = SysValues.of(f)) {
        sys.await("subscriptions/quota-exceeded", "1");
      }
    }
  }

  @Test
  void authorizerDeniesPublishAndSubscribe() throws Exception {
    Authorizer onlyPublic =
        new Authorizer() {
          @Override
          public boolean mayPublish(ClientIdentity client, String topic) {
            return topic.startsWith("public/");
          }

          @Override
          public boolean maySubscribe(ClientIdentity client, String filter) {
            return filter.startsWith("public/");
          }
        };
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().authorizer(onlyPublic))) {
      Mqtt5BlockingClient c = f.connect5("authz");
      Mqtt5SubAck ack;
      try {
        ack = c.subscribeWith().topicFilter("secret/#").send();
      } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
        ack = e.getMqttMessage();
      }
      assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      try (RawMqttClient raw = f.raw()) {
        raw.send(RawMqttClient.connect5("rawauthz", true, 30));
        raw.read();
        raw.send(RawMqttClient.publish5("secret/x", 1, false, false, 9, bytes(1)));
        Packet puback = raw.readType(RawMqttClient.PUBACK);
        assertThat(puback.bytes())
            .containsExactly(0x40, 0x04, 0x00, 0x09, 0x87, 0x00); // reason 0x87, empty properties
      }
      try (RawMqttClient raw = f.raw()) {
        raw.send(RawMqttClient.connect311("raw311", true, 30));
        raw.read();
        raw.send(RawMqttClient.publish311("secret/x", 1, false, false, 9, bytes(1)));
        // 3.1.1 has no failure code: a plain PUBACK, and the message goes nowhere [MQTT-3.3.5-2].
        assertThat(raw.readType(RawMqttClient.PUBACK).bytes())
            .containsExactly(0x40, 0x02, 0x00, 0x09);
      }
    }
  }

  @Test
  void inboundTopicAliasesResolve() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      Mqtt5BlockingClient sub = f.connect5("aliassub");
      try (var in = sub.publishes(MqttGlobalPublishFilter.ALL);
          RawMqttClient c = f.raw()) {
        sub.subscribeWith().topicFilter("aliased/topic").qos(MqttQos.AT_LEAST_ONCE).send();
        c.send(RawMqttClient.connect5("aliaspub", true, 30));
        c.read();
        // Topic Alias (0x23) = 1 with the topic, then alias only with an empty topic
        // [MQTT-3.3.2-12].
        c.send(
            packet(
                0x30, concat(str("aliased/topic"), bytes(3, 0x23, 0, 1), "one".getBytes(UTF_8))));
        c.send(packet(0x30, concat(str(""), bytes(3, 0x23, 0, 1), "two".getBytes(UTF_8))));
        assertThat(
                new String(
                    in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), UTF_8))
            .isEqualTo("one");
        assertThat(
                new String(
                    in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), UTF_8))
            .isEqualTo("two");
        // An alias above the maximum is a protocol error 0x94 [MQTT-3.3.2-9].
        c.send(packet(0x30, concat(str("x"), bytes(3, 0x23, 0xFF, 0xFF), bytes(1))));
        assertThat(c.readType(RawMqttClient.DISCONNECT).body()[0] & 0xFF).isEqualTo(0x94);
      }
    }
  }

  @Test
  void tooLargePublishThroughTheApiIsRejected() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maxPacketSize(100))) {
      assertThat(
              f.broker()
                  .publish(Message.of("t", new byte[200], Qos.AT_MOST_ONCE, false))
                  .get()
                  .status())
          .isEqualTo(PublishResult.Status.TOO_LARGE);
    }
  }

  @Test
  void unsubscribeInvalidFilterInRawForm() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect5("unsub", true, 30));
      c.read();
      c.send(packet(0xA2, concat(u16(4), bytes(0), str("a/#/b"), str("nope"))));
      Packet ack = c.readType(RawMqttClient.UNSUBACK);
      assertThat(ack.bytes())
          .containsExactly(0xB0, 0x05, 0x00, 0x04, 0x00, 0x8F, 0x11); // [MQTT-3.11.3-1]
      c.send(RawMqttClient.subscribe5(5, "a/#/b", 1));
      assertThat(c.readType(RawMqttClient.SUBACK).bytes())
          .containsExactly(0x90, 0x04, 0x00, 0x05, 0x00, 0x8F);
    }
  }
}
