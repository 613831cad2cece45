package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.RawMqttClient.concat;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawWebSocketClient;
import dev.mqttsidecar.broker.testing.RawWebSocketClient.Frame;
import dev.mqttsidecar.broker.testing.RawWebSocketClient.Response;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.broker.testing.TlsClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** MQTT over WebSocket (ws) and secure WebSocket (wss): section 6 of the MQTT specifications. */
@ExtendWith(LeakCheck.class)
class WebSocketIT {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final int MAX_PACKET = 4096;
  @TempDir static Path dir;
  private static TestPki pki;
  private final List<String> certificateNames = new CopyOnWriteArrayList<>();
  private BrokerFixture f;

  @BeforeAll
  static void createPki() {
    pki = TestPki.create(dir);
  }

  @BeforeEach
  void start() throws Exception {
    f =
        BrokerFixture.start(
            BrokerConfig.builder()
                .maxPacketSize(MAX_PACKET)
                .connectTimeout(CONNECT_TIMEOUT)
                .listeners(
                    List.of(
                        new Listener("ws", "127.0.0.1", 0, Listener.Protocol.WEBSOCKET, null),
                        new Listener(
                            "wss",
                            "127.0.0.1",
                            0,
                            Listener.Protocol.WEBSOCKET,
                            pki.serverTls(false))))
                .authenticator(
                    (client, password) -> {
                      certificateNames.add(client.listener() + ":" + client.certCommonName());
                      return Authentication.accepted(client.username());
                    }));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private Mqtt5ClientBuilder ws5(String id, String listener) {
    return f.mqtt5(id)
        .serverPort(f.port(listener))
        .webSocketConfig()
        .serverPath("mqtt")
        .applyWebSocketConfig();
  }

  @Test
  void mqtt5OverWebSocketAndSecureWebSocket() throws Exception {
    Mqtt5BlockingClient sub = ws5("sub", "ws").buildBlocking();
    sub.connect();
    f.track(sub);
    Mqtt5BlockingClient pub =
        ws5("pub", "wss").sslConfig(TlsClients.withCertificate(pki, pki.device1())).buildBlocking();
    pub.connect();
    f.track(pub);
    try (Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("ws/#").qos(MqttQos.AT_LEAST_ONCE).send();
      byte[] big =
          new byte[3000]; // more than one TLS record's worth is not needed; more than 2 KiB
      Arrays.fill(big, (byte) 'x');
      pub.publishWith().topic("ws/big").qos(MqttQos.AT_LEAST_ONCE).payload(big).send();
      Optional<Mqtt5Publish> m = received.receive(5, TimeUnit.SECONDS);
      assertThat(m).isPresent();
      assertThat(m.get().getPayloadAsBytes()).isEqualTo(big);
    }
    assertThat(certificateNames).containsExactly("ws:null", "wss:device-1");
  }

  @Test
  void mqtt311OverWebSocket() throws Exception {
    Mqtt3BlockingClient c =
        f.mqtt3("v3")
            .serverPort(f.port("ws"))
            .webSocketConfig()
            .serverPath("mqtt")
            .applyWebSocketConfig()
            .buildBlocking();
    c.connect();
    f.track(c);
    try (Mqtt3BlockingClient.Mqtt3Publishes received = c.publishes(MqttGlobalPublishFilter.ALL)) {
      c.subscribeWith().topicFilter("ws/3").qos(MqttQos.EXACTLY_ONCE).send();
      c.publishWith().topic("ws/3").qos(MqttQos.EXACTLY_ONCE).payload("v3".getBytes()).send();
      assertThat(received.receive(5, TimeUnit.SECONDS)).isPresent();
    }
  }

  private RawWebSocketClient upgraded() throws Exception {
    RawWebSocketClient c = RawWebSocketClient.connect(f.port("ws"));
    Response r = c.upgrade("/mqtt", "mqtt");
    assertThat(r.status()).isEqualTo(101);
    assertThat(r.headers()).containsEntry("sec-websocket-protocol", "mqtt"); // [MQTT-6.0.0-4]
    return c;
  }

  @Test
  void packetsAreReassembledHoweverTheFramesCutThem() throws Exception {
    try (RawWebSocketClient c = upgraded()) {
      // CONNECT in three complete binary messages [MQTT-6.0.0-2].
      byte[] connect = RawMqttClient.connect311("frames", true, 60);
      c.sendBinary(Arrays.copyOfRange(connect, 0, 1));
      c.sendBinary(Arrays.copyOfRange(connect, 1, 7));
      c.sendBinary(Arrays.copyOfRange(connect, 7, connect.length));
      assertThat(c.readPacket().bytes()).containsExactly(0x20, 0x02, 0x00, 0x00);
      // SUBSCRIBE, PUBLISH (QoS 1) and PINGREQ in one frame.
      c.sendBinary(
          concat(
              RawMqttClient.subscribe311(1, "frames/t", 1),
              RawMqttClient.publish311("frames/t", 1, false, false, 2, "one".getBytes()),
              RawMqttClient.PINGREQ));
      // A PUBLISH fragmented into a binary frame and two continuation frames.
      byte[] second = RawMqttClient.publish311("frames/t", 0, false, false, 0, "two".getBytes());
      c.send(RawWebSocketClient.BINARY, false, Arrays.copyOfRange(second, 0, 3));
      c.send(RawWebSocketClient.CONTINUATION, false, Arrays.copyOfRange(second, 3, 6));
      c.send(RawWebSocketClient.CONTINUATION, true, Arrays.copyOfRange(second, 6, second.length));
      List<String> seen = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 5; i++) {
        RawMqttClient.Packet p = c.readPacket();
        seen.add(
            p.type() == RawMqttClient.PUBLISH
                ? "PUBLISH " + new String(tail(p.body(), 3), StandardCharsets.UTF_8)
                : String.valueOf(p.type()));
      }
      assertThat(seen)
          .containsExactlyInAnyOrder(
              String.valueOf(RawMqttClient.SUBACK),
              String.valueOf(RawMqttClient.PUBACK),
              String.valueOf(RawMqttClient.PINGRESP),
              "PUBLISH one",
              "PUBLISH two");
    }
  }

  private static byte[] tail(byte[] body, int length) {
    return Arrays.copyOfRange(body, body.length - length, body.length);
  }

  @Test
  void aTextFrameClosesTheConnectionWith1003() throws Exception {
    try (RawWebSocketClient c = upgraded()) {
      c.send(RawWebSocketClient.TEXT, true, "{}".getBytes()); // [MQTT-6.0.0-1]
      Frame close = c.readFrame(Duration.ofSeconds(5));
      assertThat(close.opcode()).isEqualTo(RawWebSocketClient.CLOSE);
      assertThat(close.closeStatus()).isEqualTo(1003);
      assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void aFrameLargerThanThePacketLimitClosesWith1009() throws Exception {
    try (RawWebSocketClient c = upgraded()) {
      c.sendBinary(new byte[MAX_PACKET + 1]);
      Frame close = c.readFrame(Duration.ofSeconds(5));
      assertThat(close.opcode()).isEqualTo(RawWebSocketClient.CLOSE);
      assertThat(close.closeStatus()).isEqualTo(1009);
      assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void upgradeRequestsThatAreNotMqttAreRefused() throws Exception {
    try (RawWebSocketClient c = RawWebSocketClient.connect(f.port("ws"))) {
      Response r = c.upgrade("/chat", "mqtt");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.body()).contains("/mqtt");
    }
    try (RawWebSocketClient c = RawWebSocketClient.connect(f.port("ws"))) {
      assertThat(c.upgrade("/mqtt", null).status()).isEqualTo(400); // [MQTT-6.0.0-3]
    }
    try (RawWebSocketClient c = RawWebSocketClient.connect(f.port("ws"))) {
      assertThat(c.upgrade("/mqtt", "chat, stomp").status()).isEqualTo(400);
    }
    try (RawMqttClient c = RawMqttClient.connect("127.0.0.1", f.port("ws"))) {
      c.send(RawMqttClient.connect311("not-http", true, 60)); // MQTT without the upgrade
      assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void oldClientsOfferingMqttv31AreUpgraded() throws Exception {
    try (RawWebSocketClient c = RawWebSocketClient.connect(f.port("ws"))) {
      Response r = c.upgrade("/mqtt?client=old", "mqttv3.1");
      assertThat(r.status()).isEqualTo(101);
      assertThat(r.headers()).containsEntry("sec-websocket-protocol", "mqttv3.1");
      c.sendBinary(RawMqttClient.connect311("old", true, 60));
      assertThat(c.readPacket().bytes()).containsExactly(0x20, 0x02, 0x00, 0x00);
    }
  }

  @Test
  void keepAliveClosesASilentWebSocketClient() throws Exception {
    try (RawWebSocketClient c = upgraded()) {
      c.sendBinary(RawMqttClient.connect311("silent", true, 1));
      assertThat(c.readPacket().type()).isEqualTo(RawMqttClient.CONNACK);
      assertThat(c.closedWithin(Duration.ofMillis(700))).as("open within keep alive").isFalse();
      assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue(); // [MQTT-3.1.2-24]
    }
  }

  @Test
  void connectTimeoutClosesASecureWebSocketThatSendsNoConnect() throws Exception {
    SSLSocket socket =
        (SSLSocket)
            pki.sslContext(null).getSocketFactory().createSocket("127.0.0.1", f.port("wss"));
    try (RawWebSocketClient c = RawWebSocketClient.over(socket)) {
      assertThat(c.upgrade("/mqtt", "mqtt").status()).isEqualTo(101);
      assertThat(c.closedWithin(Duration.ofSeconds(1))).as("open after the upgrade").isFalse();
      assertThat(c.closedWithin(CONNECT_TIMEOUT.plusSeconds(3))).isTrue();
    }
  }
}
