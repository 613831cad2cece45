package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static dev.mqttsidecar.broker.testing.RawMqttClient.concat;
import static dev.mqttsidecar.broker.testing.RawMqttClient.packet;
import static dev.mqttsidecar.broker.testing.RawMqttClient.str;
import static dev.mqttsidecar.broker.testing.RawMqttClient.u16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONNECT/CONNACK, client identifiers, authentication, connection limits and keep alive. */
@ExtendWith(LeakCheck.class)
class ConnectIT {
  private static final Duration WAIT = Duration.ofSeconds(3);

  @Test
  void mqtt311ConnAckIsExact() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("raw1", true, 30));
      assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x00); // [MQTT-3.2.2-1]
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().bytes()).containsExactly(0xD0, 0x00); // [MQTT-3.12.4-1]
    }
  }

  @Test
  void unsupportedProtocolLevelGetsReturnCode1() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(packet(0x10, concat(str("MQTT"), bytes(9, 0x02), u16(30), str("x"))));
      assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x01); // [MQTT-3.1.2-2]
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
  }

  @Test
  void reservedConnectFlagClosesTheConnection() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(
          packet(0x10, concat(str("MQTT"), bytes(4, 0x03), u16(30), str("x")))); // [MQTT-3.1.2-3]
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "flags {0}")
  @org.junit.jupiter.params.provider.ValueSource(
      ints = {
        0x02 | 0x08, // will QoS 1 without will flag [MQTT-3.1.2-13]
        0x02 | 0x20, // will retain without will flag [MQTT-3.1.2-15]
        0x02 | 0x04 | 0x18, // will QoS 3 [MQTT-3.1.2-14]
        0x02 | 0x40
      }) // password without user name [MQTT-3.1.2-22]
  void forbiddenConnectFlagCombinationsAreRefused(int flags) throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      byte[] will = (flags & 0x04) != 0 ? concat(str("w"), str("m")) : new byte[0];
      byte[] password = (flags & 0x40) != 0 ? str("pw") : new byte[0];
      c.send(
          packet(
              0x10, concat(str("MQTT"), bytes(4, flags), u16(30), str("flags"), will, password)));
      // Either refused with CONNACK 0x02 or closed by the decoder; never accepted.
      try {
        Packet p = c.read(WAIT);
        assertThat(p.type()).isEqualTo(RawMqttClient.CONNACK);
        assertThat(p.body()[1] & 0xFF).isNotZero();
      } catch (java.io.EOFException closed) {
        // closed without CONNACK, as [MQTT-3.2.2-5] allows for a malformed CONNECT
      }
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
  }

  @Test
  void emptyClientIdWithPersistentSessionIsRejectedIn311() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("", false, 30));
      assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x02); // [MQTT-3.1.3-8]
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("", true, 30));
      assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x00); // [MQTT-3.1.3-6]
    }
  }

  @Test
  void emptyClientIdGetsAnAssignedIdIn5() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      Mqtt5BlockingClient c =
          com.hivemq.client.mqtt.mqtt5.Mqtt5Client.builder()
              .serverHost("127.0.0.1")
              .serverPort(f.port())
              .buildBlocking();
      Mqtt5ConnAck ack = c.connect();
      assertThat(ack.getAssignedClientIdentifier()).isPresent(); // [MQTT-3.2.2-16]
      assertThat(ack.getAssignedClientIdentifier().get().toString()).isNotEmpty();
      c.disconnect();
    }
  }

  @Test
  void secondConnectIsAProtocolError() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect5("twice", true, 30));
      assertThat(c.read().type()).isEqualTo(RawMqttClient.CONNACK);
      c.send(RawMqttClient.connect5("twice", true, 30));
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawMqttClient.DISCONNECT);
      assertThat(p.body()[0] & 0xFF).isEqualTo(0x82); // [MQTT-3.1.0-2]
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
  }

  @Test
  void firstPacketMustBeConnect() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.closedWithin(WAIT)).isTrue(); // [MQTT-3.1.0-1]
    }
  }

  @Test
  void authenticationFailureCodes() throws Exception {
    BrokerConfig.Builder cfg =
        BrokerConfig.builder()
            .authenticator(
                (client, pass) ->
                    "alice".equals(client.username())
                            && pass != null
                            && "secret".equals(new String(pass, StandardCharsets.UTF_8))
                        ? Authentication.accepted("alice")
                        : Authentication.refused(Authentication.Outcome.BAD_CREDENTIALS));
    try (BrokerFixture f = BrokerFixture.start(cfg)) {
      Mqtt5BlockingClient bad =
          f.mqtt5("c5")
              .simpleAuth()
              .username("bob")
              .password("x".getBytes())
              .applySimpleAuth()
              .buildBlocking();
      assertThatThrownBy(bad::connect)
          .isInstanceOfSatisfying(
              Mqtt5ConnAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
      var bad3 =
          f.mqtt3("c3")
              .simpleAuth()
              .username("bob")
              .password("x".getBytes())
              .applySimpleAuth()
              .buildBlocking();
      assertThatThrownBy(bad3::connect)
          .isInstanceOfSatisfying(
              Mqtt3ConnAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReturnCode())
                      .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD));
      Mqtt5BlockingClient good =
          f.mqtt5("ok")
              .simpleAuth()
              .username("alice")
              .password("secret".getBytes())
              .applySimpleAuth()
              .buildBlocking();
      assertThat(good.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      good.disconnect();
    }
  }

  @Test
  void maxConnectionsIsEnforcedAtAccept() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maxConnections(1))) {
      Mqtt5BlockingClient first = f.connect5("first");
      Mqtt5BlockingClient second = f.mqtt5("second").buildBlocking();
      // Closed before any CONNACK: the broker reads nothing from a connection over the limit.
      assertThatThrownBy(second::connect).isInstanceOf(ConnectionClosedException.class);
      first.disconnect();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(second.connect().getReasonCode())
                      .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS));
      second.disconnect();
    }
  }

  @Test
  void keepAliveExpiryClosesAfterOneAndAHalfIntervals() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect5("idle", true, 1));
      assertThat(c.read().type()).isEqualTo(RawMqttClient.CONNACK);
      long start = System.nanoTime();
      Packet p = c.read(Duration.ofSeconds(4));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(p.type()).isEqualTo(RawMqttClient.DISCONNECT);
      assertThat(p.body()[0] & 0xFF).isEqualTo(0x8D); // [MQTT-3.1.2-24]
      assertThat(elapsedMs).isBetween(1200L, 3000L);
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
  }

  @Test
  void pingsKeepTheConnectionAlive() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("pinger", true, 1));
      c.read();
      for (int i = 0; i < 4; i++) {
        Thread.sleep(600); // time passes: 2.4 s in all, past the 1.5 s the keep-alive allows idle
        c.send(RawMqttClient.PINGREQ);
        assertThat(c.read().type()).isEqualTo(RawMqttClient.PINGRESP);
      }
    }
  }

  @Test
  void serverKeepAliveIsAnnouncedAndApplied() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().serverKeepAlive(Duration.ofSeconds(7)))) {
      Mqtt5BlockingClient c = f.mqtt5("ka").buildBlocking();
      Mqtt5ConnAck ack = c.connectWith().keepAlive(60).send();
      assertThat(ack.getServerKeepAlive()).hasValue(7);
      c.disconnect();
    }
  }

  @Test
  void serverKeepAliveReplacesA5ClientsButNotA311ClientsKeepAlive() throws Exception {
    try (BrokerFixture f =
            BrokerFixture.start(BrokerConfig.builder().serverKeepAlive(Duration.ofSeconds(1)));
        RawMqttClient c5 = f.raw();
        RawMqttClient c3 = f.raw()) {
      // The 3.1.1 client first: were the server's value applied to it, it would be closed first.
      c3.send(RawMqttClient.connect311("ka311", true, 60));
      c3.read();
      c5.send(RawMqttClient.connect5("ka5", true, 60));
      c5.read();
      // Silent for 1.5 x the server's keep alive [MQTT-3.1.2-22]: DISCONNECT 0x8D.
      assertThat(c5.readType(RawMqttClient.DISCONNECT).body()[0] & 0xFF).isEqualTo(0x8D);
      // A 3.1.1 client was never told of the server's value, so its own 60 s still hold.
      c3.send(RawMqttClient.PINGREQ);
      assertThat(c3.read().type()).isEqualTo(RawMqttClient.PINGRESP);
    }
  }
}
