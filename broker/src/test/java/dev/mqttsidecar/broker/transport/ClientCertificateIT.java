package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.Authenticator;
import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.broker.testing.TlsClients;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client certificates: which are refused during the handshake, and the name a verified one gives
 * the client's identity for authentication and authorization.
 */
@ExtendWith(LeakCheck.class)
class ClientCertificateIT {
  @TempDir static Path dir;
  private static TestPki pki;
  private final Recorder recorder = new Recorder();

  @BeforeAll
  static void createPki() {
    pki = TestPki.create(dir);
  }

  /** Records the identity every authentication and authorization check was asked about. */
  static final class Recorder implements Authenticator, Authorizer {
    final List<String> authenticated = new CopyOnWriteArrayList<>();
    final List<String> published = new CopyOnWriteArrayList<>();
    final List<String> subscribed = new CopyOnWriteArrayList<>();

    @Override
    public Authentication authenticate(ClientIdentity client, byte[] password) {
      authenticated.add(client.clientId() + "=" + client.certCommonName());
      return Authentication.accepted(client.username());
    }

    @Override
    public boolean mayPublish(ClientIdentity client, String topic) {
      published.add(client.certCommonName() + "@" + client.listener());
      return true;
    }

    @Override
    public boolean maySubscribe(ClientIdentity client, String filter) {
      subscribed.add(client.certCommonName() + "@" + client.listener());
      return true;
    }
  }

  private BrokerFixture broker(boolean requireClientCert) throws Exception {
    Listener listener =
        new Listener(
            "devices", "127.0.0.1", 0, Listener.Protocol.MQTT, pki.serverTls(requireClientCert));
    return BrokerFixture.start(
        BrokerConfig.builder()
            .listeners(List.of(listener))
            .authenticator(recorder)
            .authorizer(recorder));
  }

  private static Mqtt5BlockingClient connect(BrokerFixture f, String id, MqttClientSslConfig ssl) {
    Mqtt5BlockingClient c = f.mqtt5(id).sslConfig(ssl).buildBlocking();
    c.connect();
    f.track(c);
    return c;
  }

  @Test
  void commonNameReachesAuthenticatorAndAuthorizer() throws Exception {
    try (BrokerFixture f = broker(true)) {
      Mqtt5BlockingClient c = connect(f, "d1", TlsClients.withCertificate(pki, pki.device1()));
      c.subscribeWith().topicFilter("devices/device-1/#").send();
      c.publishWith().topic("devices/device-1/state").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(recorder.authenticated).containsExactly("d1=device-1");
      assertThat(recorder.subscribed).containsExactly("device-1@devices");
      assertThat(recorder.published).containsExactly("device-1@devices");
    }
  }

  @Test
  void withoutCommonNameTheFirstDnsNameIsUsed() throws Exception {
    try (BrokerFixture f = broker(true)) {
      connect(f, "d2", TlsClients.withCertificate(pki, pki.sanOnlyClient()));
      assertThat(recorder.authenticated).containsExactly("d2=device-2.example");
    }
  }

  @ParameterizedTest(name = "required client certificate: {0}")
  @ValueSource(booleans = {true, false})
  void expiredAndForeignCertificatesAreRefusedInTheHandshake(boolean required) throws Exception {
    try (BrokerFixture f = broker(required)) {
      for (TestPki.Credential bad : List.of(pki.expiredClient(), pki.foreignClient())) {
        Mqtt5BlockingClient c =
            f.mqtt5("bad-" + bad.name())
                .sslConfig(TlsClients.withCertificate(pki, bad))
                .buildBlocking();
        assertThatThrownBy(c::connect).as(bad.name()).isInstanceOf(RuntimeException.class);
      }
      // The control: a valid certificate on the same listener connects.
      connect(f, "good", TlsClients.withCertificate(pki, pki.device1()));
      assertThat(recorder.authenticated).containsExactly("good=device-1");
    }
  }

  @Test
  void aClientWithoutCertificateIsRefusedWhenOneIsRequired() throws Exception {
    try (BrokerFixture f = broker(true)) {
      Mqtt5BlockingClient c =
          f.mqtt5("anonymous").sslConfig(TlsClients.trusting(pki)).buildBlocking();
      assertThatThrownBy(c::connect).isInstanceOf(RuntimeException.class);
      assertThat(recorder.authenticated).isEmpty(); // refused by TLS, before MQTT
    }
  }

  @Test
  void aClientWithoutCertificateConnectsWhenNoneIsRequired() throws Exception {
    try (BrokerFixture f = broker(false)) {
      connect(f, "anonymous", TlsClients.trusting(pki));
      connect(f, "d1", TlsClients.withCertificate(pki, pki.device1()));
      assertThat(recorder.authenticated).containsExactly("anonymous=null", "d1=device-1");
    }
  }
}
