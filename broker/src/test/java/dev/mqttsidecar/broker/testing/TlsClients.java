package dev.mqttsidecar.broker.testing;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** TLS settings for the HiveMQ test clients, trusting a {@link TestPki}'s CA. */
public final class TlsClients {
  private static final Duration HANDSHAKE = Duration.ofSeconds(10);

  private TlsClients() {}

  /** Trusts the test CA; presents no client certificate. */
  public static MqttClientSslConfig trusting(TestPki pki) {
    return builder(pki).build();
  }

  /** Trusts the test CA and presents {@code client}'s certificate. */
  public static MqttClientSslConfig withCertificate(TestPki pki, TestPki.Credential client) {
    return builder(pki).keyManagerFactory(client.keyManagerFactory()).build();
  }

  /** Trusts the test CA, presents {@code client} (if not null) and offers only {@code protocol}. */
  public static MqttClientSslConfig onlyProtocol(
      TestPki pki, TestPki.Credential client, String protocol) {
    var b = builder(pki).protocols(List.of(protocol));
    if (client != null) {
      b.keyManagerFactory(client.keyManagerFactory());
    }
    return b.build();
  }

  private static com.hivemq.client.mqtt.MqttClientSslConfigBuilder builder(TestPki pki) {
    return MqttClientSslConfig.builder()
        .trustManagerFactory(pki.trustManagerFactory())
        .handshakeTimeout(HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS);
  }
}
