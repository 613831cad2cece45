package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.ListenerStartException;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.broker.testing.TlsClients;
import dev.mqttsidecar.broker.testing.TlsProbe;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT over TLS: both protocol versions, TLS 1.2 and 1.3 only, key formats, files that fail. */
@ExtendWith(LeakCheck.class)
class TlsListenerIT {
  private static final String SECURE = "secure";
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void createPki() {
    pki = TestPki.create(dir);
  }

  static Listener tlsListener(Listener.Tls tls) {
    return new Listener(SECURE, "127.0.0.1", 0, Listener.Protocol.MQTT, tls);
  }

  private static BrokerFixture broker(Listener.Tls tls) throws Exception {
    return BrokerFixture.start(BrokerConfig.builder().listeners(List.of(tlsListener(tls))));
  }

  private static Mqtt5BlockingClient connect5(BrokerFixture f, String id, MqttClientSslConfig ssl) {
    Mqtt5BlockingClient c = f.mqtt5(id).sslConfig(ssl).buildBlocking();
    c.connect();
    f.track(c);
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void mqtt5PublishAndSubscribeOverTls(String protocol) throws Exception {
    try (BrokerFixture f = broker(pki.serverTls(false))) {
      MqttClientSslConfig ssl = TlsClients.onlyProtocol(pki, null, protocol);
      Mqtt5BlockingClient sub = connect5(f, "sub", ssl);
      Mqtt5BlockingClient pub = connect5(f, "pub", ssl);
      try (Mqtt5BlockingClient.Mqtt5Publishes received =
          sub.publishes(MqttGlobalPublishFilter.ALL)) {
        sub.subscribeWith().topicFilter("tls/#").qos(MqttQos.AT_LEAST_ONCE).send();
        pub.publishWith()
            .topic("tls/5")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(("over " + protocol).getBytes(StandardCharsets.UTF_8))
            .send();
        Optional<Mqtt5Publish> m = received.receive(5, TimeUnit.SECONDS);
        assertThat(m).isPresent();
        assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("over " + protocol);
      }
    }
  }

  @Test
  void mqtt311PublishAndSubscribeOverTls() throws Exception {
    try (BrokerFixture f = broker(pki.serverTls(false))) {
      Mqtt3BlockingClient sub = f.mqtt3("sub3").sslConfig(TlsClients.trusting(pki)).buildBlocking();
      sub.connect();
      f.track(sub);
      Mqtt3BlockingClient pub = f.mqtt3("pub3").sslConfig(TlsClients.trusting(pki)).buildBlocking();
      pub.connect();
      f.track(pub);
      try (Mqtt3BlockingClient.Mqtt3Publishes received =
          sub.publishes(MqttGlobalPublishFilter.ALL)) {
        sub.subscribeWith().topicFilter("tls/3").qos(MqttQos.EXACTLY_ONCE).send();
        pub.publishWith().topic("tls/3").qos(MqttQos.EXACTLY_ONCE).payload("v3".getBytes()).send();
        Optional<Mqtt3Publish> m = received.receive(5, TimeUnit.SECONDS);
        assertThat(m).isPresent();
        assertThat(m.get().getPayloadAsBytes()).isEqualTo("v3".getBytes());
      }
    }
  }

  @Test
  void onlyTls12AndTls13AreNegotiated() throws Exception {
    assumeTrue(OpenSsl.isAvailable(), "the TLS 1.1 client needs OpenSSL");
    try (BrokerFixture f = broker(pki.serverTls(false))) {
      int port = f.port(SECURE);
      assertThat(TlsProbe.handshake(port, client("TLSv1.3")).protocol()).isEqualTo("TLSv1.3");
      assertThat(TlsProbe.handshake(port, client("TLSv1.2")).protocol()).isEqualTo("TLSv1.2");
      // The client offers TLS 1.1 only; the server answers with a protocol_version alert.
      assertThatThrownBy(() -> TlsProbe.handshake(port, client("TLSv1.1")))
          .hasStackTraceContaining("PROTOCOL_VERSION");
    }
  }

  private static SslContext client(String protocol) throws Exception {
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.OPENSSL)
        .protocols(protocol)
        .trustManager(pki.trustManagerFactory())
        .build();
  }

  @Test
  void traditionalRsaAndEcKeysAreRead() throws Exception {
    TestPki.Credential ec = pki.issueServer("ec-server", TestPki.KeyType.EC);
    TestPki.Credential rsa = pki.server();
    assertThat(Files.readString(rsa.traditionalKey())).startsWith("-----BEGIN RSA PRIVATE KEY");
    assertThat(Files.readString(ec.traditionalKey())).startsWith("-----BEGIN EC PRIVATE KEY");
    assertThat(Files.readString(ec.key())).startsWith("-----BEGIN PRIVATE KEY");
    for (TestPki.Credential server : List.of(rsa, ec)) {
      Listener.Tls tls = new Listener.Tls(server.cert(), server.traditionalKey(), null, false);
      try (BrokerFixture f = broker(tls)) {
        assertThat(TlsProbe.handshake(f.port(SECURE), jdkClient()).serverSerial())
            .isEqualTo(server.serial());
        connect5(f, "key-" + server.name(), TlsClients.trusting(pki));
      }
    }
  }

  private static SslContext jdkClient() throws Exception {
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .trustManager(pki.trustManagerFactory())
        .build();
  }

  @Test
  void unusableFilesStopTheStartWithOneLineNamingListenerAndFile() throws Exception {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate\n");
    Path missing = dir.resolve("missing.key");
    TestPki.Credential server = pki.server();
    assertStartFails(
        new Listener.Tls(server.cert(), missing, null, false),
        "listener secure: tls.key " + missing + ": no such file");
    assertStartFails(
        new Listener.Tls(garbage, server.key(), null, false),
        "listener secure: tls.cert " + garbage + ": no PEM certificate");
    assertStartFails(
        new Listener.Tls(server.cert(), pki.device1().key(), null, false),
        "listener secure: tls.key " + pki.device1().key() + ": is not the private key");
    assertStartFails(
        new Listener.Tls(server.cert(), server.key(), garbage, false),
        "listener secure: tls.clientCa " + garbage + ": no PEM certificate");
  }

  private static void assertStartFails(Listener.Tls tls, String messageStart) {
    Broker broker =
        Broker.create(
            BrokerConfig.builder()
                .listeners(List.of(tlsListener(tls)))
                .durability(Durability.MEMORY)
                .build());
    try {
      assertThatThrownBy(broker::start)
          .isInstanceOf(ListenerStartException.class)
          .hasMessageStartingWith(messageStart)
          .hasMessageNotContaining("\n");
    } finally {
      broker.stop();
    }
  }

  @Test
  void connectTimeoutClosesATlsConnectionThatSendsNoConnect() throws Exception {
    Duration timeout = Duration.ofSeconds(3);
    try (BrokerFixture f =
        BrokerFixture.start(
            BrokerConfig.builder()
                .listeners(List.of(tlsListener(pki.serverTls(false))))
                .connectTimeout(timeout))) {
      SSLSocket socket =
          (SSLSocket) pki.sslContext(null).getSocketFactory().createSocket("127.0.0.1", f.port());
      socket.startHandshake();
      try (RawMqttClient c = RawMqttClient.over(socket)) {
        assertThat(c.closedWithin(Duration.ofSeconds(1))).as("open after the handshake").isFalse();
        assertThat(c.closedWithin(timeout.plusSeconds(3))).isTrue();
      }
    }
  }

  @Test
  void keepAliveClosesASilentTlsClient() throws Exception {
    try (BrokerFixture f = broker(pki.serverTls(false))) {
      SSLSocket socket =
          (SSLSocket) pki.sslContext(null).getSocketFactory().createSocket("127.0.0.1", f.port());
      try (RawMqttClient c = RawMqttClient.over(socket)) {
        c.send(RawMqttClient.connect311("silent", true, 1));
        assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x00);
        // Keep alive 1 s: closed after 1.5 s without a packet [MQTT-3.1.2-24].
        assertThat(c.closedWithin(Duration.ofMillis(700)))
            .as("open within the keep alive")
            .isFalse();
        assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
      }
    }
  }
}
