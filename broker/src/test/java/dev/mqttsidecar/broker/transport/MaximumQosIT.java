package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.Mqtt5Packets.prop;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.propsAt;
import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import dev.mqttsidecar.broker.testing.WillConnects;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code maximumQos}: announced in CONNACK, enforced on PUBLISH and wills, caps subscriptions. */
@ExtendWith(LeakCheck.class)
class MaximumQosIT {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final int MAXIMUM_QOS = 0x24;

  @Test
  void connAckAnnouncesAMaximumBelowTwo() throws Exception {
    for (int max = 0; max <= 1; max++) {
      try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maximumQos(max));
          RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect5("maxqos", true, 30));
        assertThat(prop(propsAt(c.read(), 2), MAXIMUM_QOS)).isEqualTo(max); // [MQTT-3.2.2-9]
      }
    }
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maximumQos(1))) {
      Mqtt5BlockingClient c = f.mqtt5("hivemq").buildBlocking();
      assertThat(c.connect().getRestrictions().getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      f.track(c);
    }
  }

  @Test
  void aPublishAboveTheMaximumEndsTheConnection() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maximumQos(1))) {
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect5("over5", true, 30));
        c.read();
        c.send(RawMqttClient.publish5("t", 1, false, false, 1, bytes(1)));
        assertThat(c.readType(RawMqttClient.PUBACK).bytes()).containsExactly(0x40, 0x02, 0, 1);
        c.send(RawMqttClient.publish5("t", 2, false, false, 2, bytes(1)));
        Packet d = c.readType(RawMqttClient.DISCONNECT);
        assertThat(d.body()[0] & 0xFF).isEqualTo(0x9B); // QoS not supported [MQTT-3.2.2-11]
        assertThat(c.closedWithin(WAIT)).isTrue();
      }
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("over311", true, 30));
        c.read();
        c.send(RawMqttClient.publish311("t", 2, false, false, 2, bytes(1)));
        assertThat(c.closedWithin(WAIT)).isTrue(); // 3.1.1 has no way to say why
      }
    }
  }

  @Test
  void aWillAboveTheMaximumIsRefused() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maximumQos(0))) {
      try (RawMqttClient c = f.raw()) {
        c.send(WillConnects.v5("will5", null, "status/will5", 1));
        assertThat(c.read().bytes()).containsExactly(0x20, 0x03, 0x00, 0x9B, 0x00);
        assertThat(c.closedWithin(WAIT)).isTrue(); // [MQTT-3.2.2-12]
      }
      try (RawMqttClient c = f.raw()) {
        c.send(WillConnects.v311("will311", null, "status/will311", 1));
        assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x05);
        assertThat(c.closedWithin(WAIT)).isTrue();
      }
      try (RawMqttClient c = f.raw()) {
        c.send(WillConnects.v5("will-ok", null, "status/will-ok", 0));
        Packet ack = c.read();
        assertThat(ack.type()).isEqualTo(RawMqttClient.CONNACK);
        assertThat(ack.body()[1]).isZero(); // success
        c.send(RawMqttClient.PINGREQ);
        assertThat(c.read().type()).isEqualTo(RawMqttClient.PINGRESP);
      }
    }
  }

  @Test
  void subscriptionsAreGrantedAtMostTheMaximum() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maximumQos(1));
        RawMqttClient c5 = f.raw();
        RawMqttClient c3 = f.raw()) {
      c5.send(RawMqttClient.connect5("sub5", true, 30));
      c5.read();
      c5.send(RawMqttClient.subscribe5(1, "capped/#", 2));
      assertThat(c5.readType(RawMqttClient.SUBACK).bytes())
          .containsExactly(0x90, 0x04, 0x00, 0x01, 0x00, 0x01); // granted QoS 1 [MQTT-3.2.2-10]
      c3.send(RawMqttClient.connect311("sub311", true, 30));
      c3.read();
      c3.send(RawMqttClient.subscribe311(1, "capped/#", 2));
      assertThat(c3.readType(RawMqttClient.SUBACK).bytes())
          .containsExactly(0x90, 0x03, 0x00, 0x01, 0x01);

      // A QoS 2 message from an in-process publisher arrives at the granted QoS 1.
      f.broker().publish(Message.of("capped/x", bytes(1), Qos.EXACTLY_ONCE, false)).join();
      assertThat(c5.readType(RawMqttClient.PUBLISH).flags() & 0x06).isEqualTo(1 << 1);
      assertThat(c3.readType(RawMqttClient.PUBLISH).flags() & 0x06).isEqualTo(1 << 1);
    }
  }

  @Test
  void theMaximumMustBeAQos() {
    assertThatThrownBy(() -> BrokerConfig.builder().maximumQos(3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximumQos");
    assertThatThrownBy(() -> BrokerConfig.builder().maximumQos(-1).build())
        .hasMessageContaining("maximumQos");
  }
}
