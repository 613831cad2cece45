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
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input closes the offending connection (5.0: after DISCONNECT 0x81/0x82/0x95), never affects
 * other clients and never leaks a buffer. One broker and one healthy client serve all cases.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputIT {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private BrokerFixture fixture;
  private Mqtt5BlockingClient healthy;
  private Mqtt5BlockingClient.Mqtt5Publishes healthyIn;

  @BeforeAll
  void start() throws Exception {
    fixture = BrokerFixture.start(BrokerConfig.builder().maxPacketSize(1024));
    healthy = fixture.connect5("healthy");
    healthyIn = healthy.publishes(MqttGlobalPublishFilter.ALL);
    healthy.subscribeWith().topicFilter("health").qos(MqttQos.AT_LEAST_ONCE).send();
  }

  @AfterAll
  void stop() {
    healthyIn.close();
    fixture.close();
  }

  /** After each bad client, the healthy one still gets its messages. */
  private void assertHealthyClientUnaffected() throws Exception {
    healthy
        .publishWith()
        .topic("health")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("ok".getBytes(UTF_8))
        .send();
    assertThat(healthyIn.receive(5, TimeUnit.SECONDS)).isPresent();
  }

  static Stream<Arguments> badPacketsAfter5Connect() {
    return Stream.of(
        Arguments.of("reserved PUBACK flags [MQTT-2.2.2-2]", bytes(0x41, 0x02, 0x00, 0x01), 0x81),
        Arguments.of(
            "SUBSCRIBE flags 0000 [MQTT-3.8.1-1]",
            packet(0x80, concat(u16(1), bytes(0), str("a"), bytes(0))),
            0x81),
        Arguments.of(
            "PUBLISH QoS 3 [MQTT-3.3.1-4]", packet(0x36, concat(str("a"), u16(1), bytes(0))), 0x81),
        Arguments.of(
            "PUBLISH QoS 0 with DUP [MQTT-3.3.1-2]",
            packet(0x38, concat(str("a"), bytes(0))),
            0x81),
        Arguments.of(
            "wildcard in PUBLISH topic [MQTT-3.3.2-2]",
            RawMqttClient.publish5("a/+", 0, false, false, 0, bytes(1)),
            0x81),
        Arguments.of(
            "zero-length topic without alias [MQTT-3.3.2-1]",
            RawMqttClient.publish5("", 0, false, false, 0, bytes(1)),
            0x82),
        Arguments.of(
            "ill-formed UTF-8 topic [MQTT-1.5.3-1]",
            packet(0x30, concat(bytes(0, 2, 0xC3, 0x28), bytes(0), bytes(1))),
            0x81),
        Arguments.of(
            "U+0000 in topic [MQTT-1.5.3-2]",
            packet(0x30, concat(bytes(0, 3, 'a', 0, 'b'), bytes(0), bytes(1))),
            0x81),
        Arguments.of("reserved packet type 0", bytes(0x00, 0x00), 0x81),
        Arguments.of("CONNACK from a client", bytes(0x20, 0x03, 0x00, 0x00, 0x00), 0x82),
        Arguments.of(
            "remaining length shorter than the content", bytes(0x20, 0x02, 0x00, 0x00), 0x81),
        Arguments.of("remaining length longer than the content", packet(0xC0, bytes(1, 2)), 0x81),
        Arguments.of(
            "packet larger than the maximum [MQTT-3.2.2-15]",
            packet(0x30, concat(str("big"), bytes(0), new byte[2000])),
            0x95),
        Arguments.of(
            "remaining length of 5 bytes", bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), 0x81),
        Arguments.of(
            "SUBSCRIBE without filters [MQTT-3.8.3-3]",
            packet(0x82, concat(u16(1), bytes(0))),
            0x82),
        Arguments.of(
            "topic alias 0 [MQTT-3.3.2-8]",
            packet(0x30, concat(str("a"), bytes(3, 0x23, 0, 0), bytes(1))),
            0x94),
        Arguments.of(
            "second CONNECT [MQTT-3.1.0-2]", RawMqttClient.connect5("again", true, 30), 0x82));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPacketsAfter5Connect")
  void mqtt5ClientGetsDisconnectWithReasonThenClose(String name, byte[] bad, int reason)
      throws Exception {
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect5("bad5", true, 30));
      assertThat(c.read().type()).isEqualTo(RawMqttClient.CONNACK);
      c.send(bad);
      Packet p = c.read(WAIT);
      assertThat(p.type()).as("DISCONNECT").isEqualTo(RawMqttClient.DISCONNECT);
      assertThat(p.body()[0] & 0xFF).as("reason code").isEqualTo(reason);
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
    assertHealthyClientUnaffected();
  }

  static Stream<Arguments> badPacketsAfter311Connect() {
    return Stream.of(
        Arguments.of("reserved PINGREQ flags", bytes(0xC1, 0x00)),
        Arguments.of("PUBREL flags 0000 [MQTT-3.6.1-1]", bytes(0x60, 0x02, 0x00, 0x01)),
        Arguments.of(
            "wildcard in PUBLISH topic",
            RawMqttClient.publish311("#", 1, false, false, 1, bytes(1))),
        Arguments.of(
            "zero-length topic", RawMqttClient.publish311("", 0, false, false, 0, bytes(1))),
        Arguments.of("ill-formed UTF-8 topic", packet(0x30, concat(bytes(0, 1, 0xFF), bytes(1)))),
        Arguments.of(
            "PUBLISH QoS 1 with packet id 0 [MQTT-2.3.1-1]",
            RawMqttClient.publish311("a", 1, false, false, 0, bytes(1))),
        Arguments.of("truncated PUBLISH", packet(0x32, bytes(0, 5, 'a'))),
        Arguments.of("oversized packet", packet(0x30, concat(str("big"), new byte[4000]))),
        Arguments.of("AUTH in 3.1.1", bytes(0xF0, 0x00)),
        Arguments.of(
            "ill-formed UTF-8 in a SUBSCRIBE filter [MQTT-1.5.4-1]",
            packet(0x82, concat(u16(1), bytes(0, 2, 0xC3, 0x28), bytes(1)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPacketsAfter311Connect")
  void mqtt311ClientIsClosed(String name, byte[] bad) throws Exception {
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect311("bad3", true, 30));
      assertThat(c.read().type()).isEqualTo(RawMqttClient.CONNACK);
      c.send(bad);
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
    assertHealthyClientUnaffected();
  }

  @Test
  void garbageBeforeConnectIsClosed() throws Exception {
    try (RawMqttClient c = fixture.raw()) {
      c.send(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
    try (RawMqttClient c = fixture.raw()) {
      c.send(packet(0x10, concat(str("HTTP"), bytes(4, 2), u16(30), str("x"))));
      Packet p = c.read(WAIT); // unknown protocol name: refused [MQTT-3.1.2-1]
      assertThat(p.type()).isEqualTo(RawMqttClient.CONNACK);
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
    assertHealthyClientUnaffected();
  }

  @Test
  void manyBadClientsInARowLeaveTheBrokerHealthy() throws Exception {
    for (int i = 0; i < 30; i++) {
      try (RawMqttClient c = fixture.raw()) {
        c.send(RawMqttClient.connect5("storm" + i, true, 30));
        c.read();
        c.send(RawMqttClient.publish5("ok", 1, false, false, 1, new byte[100]));
        c.send(bytes(0x36, 0x01)); // QoS 3 right behind a good packet
        assertThat(c.closedWithin(WAIT)).isTrue();
      }
    }
    assertHealthyClientUnaffected();
  }
}
