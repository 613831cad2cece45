package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.Mqtt5Packets.binProp;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.intProp;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.prop;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.props;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.propsAt;
import static dev.mqttsidecar.broker.testing.Mqtt5Packets.strProp;
import static dev.mqttsidecar.broker.testing.RawMqttClient.CONNACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.DISCONNECT;
import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static dev.mqttsidecar.broker.testing.RawMqttClient.packet;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.EnhancedAuthenticator;
import dev.mqttsidecar.broker.EnhancedAuthenticator.Step;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.Mqtt5Packets;
import dev.mqttsidecar.broker.testing.Mqtt5Packets.Prop;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What CONNACK advertises, Request Response/Problem Information, reason strings on server
 * DISCONNECTs and enhanced authentication (AUTH).
 */
@ExtendWith(LeakCheck.class)
class Mqtt5ConnectFeaturesIT {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final int REASON_STRING = 0x1F;
  private static final int AUTH = 15;

  @Test
  void connAckAdvertisesTheBrokersCapabilities() throws Exception {
    try (BrokerFixture f =
            BrokerFixture.start(
                BrokerConfig.builder()
                    .receiveMaximum(9)
                    .maxPacketSize(7000)
                    .topicAliasMaximum(5)
                    .serverKeepAlive(Duration.ofSeconds(20)));
        RawMqttClient c = f.raw()) {
      c.send(Mqtt5Packets.connect("", 60, props()));
      Packet ack = c.read();
      assertThat(ack.type()).isEqualTo(CONNACK);
      List<Prop> p = propsAt(ack, 2);
      assertThat(prop(p, 0x21)).isEqualTo(9); // Receive Maximum
      assertThat(prop(p, 0x27)).isEqualTo(7000); // Maximum Packet Size
      assertThat(prop(p, 0x22)).isEqualTo(5); // Topic Alias Maximum
      assertThat(prop(p, 0x13)).isEqualTo(20); // Server Keep Alive [MQTT-3.2.2-21]
      assertThat(prop(p, 0x25)).isEqualTo(1); // Retain Available
      assertThat(prop(p, 0x28)).isEqualTo(1); // Wildcard Subscription Available
      assertThat(prop(p, 0x29)).isEqualTo(1); // Subscription Identifiers Available
      assertThat(prop(p, 0x2A)).isEqualTo(1); // Shared Subscription Available
      assertThat(prop(p, 0x24)).isNull(); // Maximum QoS absent: QoS 2 supported
      assertThat((String) prop(p, 0x12)).isNotEmpty(); // Assigned Client Identifier
    }
  }

  @Test
  void hivemqClientReadsTheCapabilities() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().topicAliasMaximum(3))) {
      Mqtt5BlockingClient c = f.mqtt5("caps").buildBlocking();
      Mqtt5ConnAck ack = c.connect();
      f.track(c);
      Mqtt5ConnAckRestrictions r = ack.getRestrictions();
      assertThat(r.getMaximumQos().getCode()).isEqualTo(2);
      assertThat(r.isRetainAvailable()).isTrue();
      assertThat(r.isWildcardSubscriptionAvailable()).isTrue();
      assertThat(r.isSharedSubscriptionAvailable()).isTrue();
      assertThat(r.areSubscriptionIdentifiersAvailable()).isTrue();
      assertThat(r.getTopicAliasMaximum()).isEqualTo(3);
    }
  }

  @Test
  void responseInformationIsSentOnlyWhenRequestedAndConfigured() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().responseInformation("replies/"))) {
      RawMqttClient asked = f.raw();
      asked.send(Mqtt5Packets.connect("ri", 30, props(intProp(0x19, 1, 1))));
      assertThat(prop(propsAt(asked.read(), 2), 0x1A)).isEqualTo("replies/"); // [MQTT-3.1.2-28]
      RawMqttClient silent = f.raw();
      silent.send(Mqtt5Packets.connect("no-ri", 30, props()));
      assertThat(prop(propsAt(silent.read(), 2), 0x1A)).isNull();
    }
    try (BrokerFixture f = BrokerFixture.start()) {
      RawMqttClient asked = f.raw();
      asked.send(Mqtt5Packets.connect("ri", 30, props(intProp(0x19, 1, 1))));
      assertThat(prop(propsAt(asked.read(), 2), 0x1A)).isNull(); // none configured
    }
  }

  @Test
  void serverDisconnectCarriesAReasonStringOnlyIfProblemInformationWasRequested() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      RawMqttClient asked = f.raw();
      asked.send(Mqtt5Packets.connect("pi", 30, props()));
      asked.read();
      asked.send(Mqtt5Packets.connect("pi", 30, props())); // a second CONNECT: protocol error
      Packet d = asked.readType(DISCONNECT);
      assertThat(d.body()[0] & 0xFF).isEqualTo(0x82);
      assertThat((String) prop(propsAt(d, 1), REASON_STRING)).contains("CONNECT");

      RawMqttClient quiet = f.raw();
      quiet.send(Mqtt5Packets.connect("no-pi", 30, props(intProp(0x17, 1, 0))));
      quiet.read();
      quiet.send(Mqtt5Packets.connect("no-pi", 30, props()));
      Packet q = quiet.readType(DISCONNECT);
      assertThat(q.body()[0] & 0xFF).isEqualTo(0x82);
      assertThat(propsAt(q, 1)).isEmpty(); // [MQTT-3.1.2-29]
    }
  }

  @Test
  void keepAliveTimeoutIsDisconnect0x8DWithAReason() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(Mqtt5Packets.connect("ka", 1, props()));
      c.read();
      Packet d = c.read(Duration.ofSeconds(4)); // silent for 1.5 x keep alive [MQTT-3.1.2-22]
      assertThat(d.type()).isEqualTo(DISCONNECT);
      assertThat(d.body()[0] & 0xFF).isEqualTo(0x8D);
      assertThat((String) prop(propsAt(d, 1), REASON_STRING)).isEqualTo("keep alive expired");
    }
  }

  @Test
  void anAuthenticationMethodWithoutAnAuthenticatorGets0x8C() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(Mqtt5Packets.connect("auth", 30, props(strProp(0x15, "SCRAM-SHA-1"))));
      Packet ack = c.read();
      assertThat(ack.type()).isEqualTo(CONNACK);
      assertThat(ack.body()[1] & 0xFF).isEqualTo(0x8C); // [MQTT-4.12.0-1]
      assertThat(c.closedWithin(WAIT)).isTrue();
    }
  }

  /** A challenge/response method for the test: the client must echo the challenge reversed. */
  private static final class ReverseEcho implements EnhancedAuthenticator {
    @Override
    public boolean supports(String method) {
      return method.equals("REVERSE");
    }

    @Override
    public Exchange begin(String clientId, String method, SocketAddress remote) {
      return new Exchange() {
        int round;

        @Override
        public Step step(byte[] data) {
          if (round++ == 0) {
            return Step.challenge("nonce".getBytes(UTF_8));
          }
          return Arrays.equals(data, "ecnon".getBytes(UTF_8))
              ? new Step(Outcome.SUCCESS, "welcome".getBytes(UTF_8))
              : Step.failure();
        }
      };
    }
  }

  private static byte[] auth(String method, String data) {
    return packet(
        0xF0,
        Mqtt5Packets.concatAll(
            bytes(0x18), props(strProp(0x15, method), binProp(0x16, data.getBytes(UTF_8)))));
  }

  @Test
  void enhancedAuthenticationRunsAChallengeResponseExchange() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().enhancedAuthenticator(new ReverseEcho()))) {
      RawMqttClient c = f.raw();
      c.send(Mqtt5Packets.connect("ea", 30, props(strProp(0x15, "REVERSE"))));
      Packet challenge = c.read();
      assertThat(challenge.type()).isEqualTo(AUTH);
      assertThat(challenge.body()[0]).isEqualTo((byte) 0x18); // Continue authentication
      List<Prop> cp = propsAt(challenge, 1);
      assertThat(prop(cp, 0x15)).isEqualTo("REVERSE");
      assertThat((byte[]) prop(cp, 0x16)).isEqualTo("nonce".getBytes(UTF_8));
      c.send(auth("REVERSE", "ecnon"));
      Packet ack = c.read();
      assertThat(ack.type()).isEqualTo(CONNACK);
      assertThat(ack.body()[1]).isZero();
      List<Prop> ap = propsAt(ack, 2);
      assertThat(prop(ap, 0x15)).isEqualTo("REVERSE"); // [MQTT-4.12.0-5]
      assertThat((byte[]) prop(ap, 0x16)).isEqualTo("welcome".getBytes(UTF_8));

      RawMqttClient wrong = f.raw();
      wrong.send(Mqtt5Packets.connect("ea2", 30, props(strProp(0x15, "REVERSE"))));
      assertThat(wrong.read().type()).isEqualTo(AUTH);
      wrong.send(auth("REVERSE", "nonce"));
      Packet refused = wrong.read();
      assertThat(refused.type()).isEqualTo(CONNACK);
      assertThat(refused.body()[1] & 0xFF).isEqualTo(0x87);

      RawMqttClient other = f.raw();
      other.send(Mqtt5Packets.connect("ea3", 30, props(strProp(0x15, "PLAIN"))));
      assertThat(other.read().body()[1] & 0xFF).isEqualTo(0x8C);
    }
  }

  private static byte[] authWithReason(int reason, String method, String data) {
    return packet(
        0xF0,
        Mqtt5Packets.concatAll(
            bytes(reason), props(strProp(0x15, method), binProp(0x16, data.getBytes(UTF_8)))));
  }

  @Test
  void aClientCanReauthenticate() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().enhancedAuthenticator(new ReverseEcho()))) {
      RawMqttClient c = f.raw();
      c.send(Mqtt5Packets.connect("re", 30, props(strProp(0x15, "REVERSE"))));
      c.read();
      c.send(auth("REVERSE", "ecnon"));
      assertThat(c.read().type()).isEqualTo(CONNACK);

      c.send(authWithReason(0x19, "REVERSE", "")); // Re-authenticate [MQTT-4.12.1-1]
      Packet challenge = c.read();
      assertThat(challenge.type()).isEqualTo(AUTH);
      assertThat(challenge.body()[0]).isEqualTo((byte) 0x18);
      c.send(auth("REVERSE", "ecnon"));
      Packet done = c.read();
      assertThat(done.type()).isEqualTo(AUTH);
      assertThat(done.body()[0]).isEqualTo((byte) 0x00); // success
      assertThat((byte[]) prop(propsAt(done, 1), 0x16)).isEqualTo("welcome".getBytes(UTF_8));

      c.send(authWithReason(0x19, "REVERSE", ""));
      assertThat(c.read().type()).isEqualTo(AUTH);
      c.send(auth("REVERSE", "wrong"));
      Packet d = c.readType(DISCONNECT);
      assertThat(d.body()[0] & 0xFF).isEqualTo(0x87); // [MQTT-4.12.1-2]
    }
  }

  @Test
  void authWithoutEnhancedAuthenticationIsAProtocolError() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = f.raw()) {
      c.send(Mqtt5Packets.connect("plain", 30, props()));
      c.read();
      c.send(authWithReason(0x19, "REVERSE", ""));
      assertThat(c.readType(DISCONNECT).body()[0] & 0xFF).isEqualTo(0x82);
    }
  }

  /** The client side of {@link ReverseEcho} for hivemq-mqtt-client. */
  private static final class ReverseEchoClient implements Mqtt5EnhancedAuthMechanism {
    volatile String welcome;

    @Override
    public MqttUtf8String getMethod() {
      return MqttUtf8String.of("REVERSE");
    }

    @Override
    public int getTimeout() {
      return 5;
    }

    @Override
    public CompletableFuture<Void> onAuth(
        Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder auth) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> onContinue(
        Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder next) {
      String challenge = UTF_8.decode(auth.getData().orElseThrow()).toString();
      next.data(new StringBuilder(challenge).reverse().toString().getBytes(UTF_8));
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck ack) {
      welcome =
          ack.getEnhancedAuth()
              .flatMap(Mqtt5EnhancedAuth::getData)
              .map(b -> UTF_8.decode(b).toString())
              .orElse(null);
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
      return CompletableFuture.completedFuture(false);
    }

    @Override
    public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck ack) {}

    @Override
    public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {}

    @Override
    public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {}

    @Override
    public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {}
  }

  @Test
  void hivemqClientCompletesTheEnhancedAuthenticationExchange() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().enhancedAuthenticator(new ReverseEcho()))) {
      ReverseEchoClient mechanism = new ReverseEchoClient();
      Mqtt5BlockingClient c = f.mqtt5("h-ea").enhancedAuth(mechanism).buildBlocking();
      Mqtt5ConnAck ack = c.connect();
      f.track(c);
      assertThat(ack.getReasonCode().isError()).isFalse();
      assertThat(mechanism.welcome).isEqualTo("welcome");
      c.publishWith().topic("after/auth").send(); // the connection works normally
    }
  }
}
