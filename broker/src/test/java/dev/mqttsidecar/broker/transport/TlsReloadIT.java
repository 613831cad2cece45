package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.broker.testing.TlsClients;
import dev.mqttsidecar.broker.testing.TlsProbe;
import dev.mqttsidecar.broker.tls.ReloadingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Certificate and key files replaced under a running broker. */
@ExtendWith(LeakCheck.class)
class TlsReloadIT {
  /** Files are checked every second and read once unchanged for a check: allow a few. */
  private static final Duration RELOAD = Duration.ofSeconds(10);

  @TempDir Path dir;

  private static BrokerFixture broker(TestPki pki) throws Exception {
    Listener listener =
        new Listener("secure", "127.0.0.1", 0, Listener.Protocol.MQTT, pki.serverTls(false));
    return BrokerFixture.start(BrokerConfig.builder().listeners(List.of(listener)));
  }

  private static BigInteger servedSerial(BrokerFixture f, TestPki pki) throws Exception {
    SslContext client =
        SslContextBuilder.forClient().trustManager(pki.trustManagerFactory()).build();
    return TlsProbe.handshake(f.port(), client).serverSerial();
  }

  @Test
  void newConnectionsGetTheNewCertificateAndOpenOnesKeepWorking() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (BrokerFixture f = broker(pki)) {
      assertThat(servedSerial(f, pki)).isEqualTo(pki.server().serial());
      Mqtt5BlockingClient open =
          f.mqtt5("open").sslConfig(TlsClients.trusting(pki)).buildBlocking();
      open.connect();
      f.track(open);

      TestPki.Credential renewed = pki.issueServer("renewed", TestPki.KeyType.RSA);
      TestPki.replaceFiles(renewed, pki.server());

      Awaitility.await("the renewed certificate is served")
          .atMost(RELOAD)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> servedSerial(f, pki).equals(renewed.serial()));
      // The connection made before the reload still works, in both directions.
      try (Mqtt5BlockingClient.Mqtt5Publishes received =
          open.publishes(MqttGlobalPublishFilter.ALL)) {
        open.subscribeWith().topicFilter("reload/echo").qos(MqttQos.AT_LEAST_ONCE).send();
        open.publishWith().topic("reload/echo").qos(MqttQos.AT_LEAST_ONCE).send();
        Optional<Mqtt5Publish> echo = received.receive(5, TimeUnit.SECONDS);
        assertThat(echo).isPresent();
      }
      Mqtt5BlockingClient fresh =
          f.mqtt5("fresh").sslConfig(TlsClients.trusting(pki)).buildBlocking();
      fresh.connect();
      f.track(fresh);
    }
  }

  @Test
  void aBrokenFileKeepsThePreviousCertificateAndIsReported() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (BrokerFixture f = broker(pki);
        ErrorLogCapture errors = ErrorLogCapture.of(ReloadingSslContext.class)) {
      Files.writeString(pki.server().key(), "-----BEGIN PRIVATE KEY-----\ntruncated");
      Awaitility.await("the broken key is reported")
          .atMost(RELOAD)
          .until(() -> !errors.errors().isEmpty());
      assertThat(errors.errors().get(0))
          .contains("listener secure")
          .contains(pki.server().key().toString());
      assertThat(servedSerial(f, pki)).isEqualTo(pki.server().serial());

      // Fixed files are picked up again.
      TestPki.Credential renewed = pki.issueServer("renewed", TestPki.KeyType.EC);
      TestPki.replaceFiles(renewed, pki.server());
      Awaitility.await("the renewed certificate is served")
          .atMost(RELOAD)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> servedSerial(f, pki).equals(renewed.serial()));
      assertThat(errors.errors()).hasSize(1); // reported once, not at every check
    }
  }
}
