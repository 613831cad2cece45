package dev.mqttsidecar.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.PersistentSessionLimit;
import dev.mqttsidecar.broker.Quotas;
import dev.mqttsidecar.security.AuthenticationSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The settings the sidecar runs with: the anonymous default follows where the listeners are, and a
 * listener reachable from the network is never open to anonymous clients unless the file says so.
 */
class SettingsResolverTest {
  @TempDir Path dir;

  @BeforeEach
  void files() throws Exception {
    ReferencedFiles.write(dir, "passwd", "jwks.json", "server.pem", "ca.pem");
  }

  private SidecarSettings resolve(String yaml) throws ConfigException {
    return SettingsResolver.resolve(ConfigBinder.bind(yaml, "config.yaml", dir), null);
  }

  private static String listener(String host) {
    return "listeners: [{ name: devices, host: \"" + host + "\", port: 0 }]\n";
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "localhost"})
  void onLoopbackOnlyAnonymousClientsAreAllowedByDefault(String host) throws Exception {
    assertThat(resolve(listener(host)).authentication().anonymous()).isTrue();
  }

  @Test
  void withoutAFileTheDefaultListenerIsLoopbackAndAnonymous() throws Exception {
    SidecarSettings settings = SettingsResolver.resolve(Configuration.defaults(), null);
    assertThat(settings.authentication()).isEqualTo(new AuthenticationSettings(true, null, null));
    assertThat(settings.broker().listeners()).isEqualTo(BrokerConfig.defaults().listeners());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
  void aNonLoopbackListenerWithoutAuthenticationIsRefusedInOneLine(String host) {
    assertThatThrownBy(() -> resolve(listener(host)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config.yaml: listener 'devices' binds "
                + host
                + ", which is not a loopback address, and no authentication is configured;"
                + " anonymous clients are allowed there only when a --config file writes"
                + " authentication.anonymous: true (for a trusted network); otherwise configure"
                + " authentication.passwordFile or authentication.jwt");
  }

  @Test
  void oneNonLoopbackListenerAmongLoopbackOnesIsEnoughToRefuse() {
    assertThatThrownBy(
            () ->
                resolve(
                    "listeners: [{ name: local, port: 0 },"
                        + " { name: lan, host: 0.0.0.0, port: 0 }]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("listener 'lan' binds 0.0.0.0");
  }

  @Test
  void anonymousTrueWrittenExplicitlyAllowsANonLoopbackListener() throws Exception {
    SidecarSettings settings =
        resolve(listener("0.0.0.0") + "authentication: { anonymous: true }\n");
    assertThat(settings.authentication().anonymous()).isTrue();
    assertThat(settings.broker().listeners().get(0).host()).isEqualTo("0.0.0.0");
  }

  @Test
  void withAPasswordFileOrJwtsAnonymousAccessIsOffOnTheNetwork() throws Exception {
    assertThat(
            resolve(listener("0.0.0.0") + "authentication: { passwordFile: passwd }\n")
                .authentication())
        .isEqualTo(new AuthenticationSettings(false, dir.resolve("passwd"), null));
    assertThat(
            resolve(listener("0.0.0.0") + "authentication: { jwt: { jwks: jwks.json } }\n")
                .authentication()
                .anonymous())
        .isFalse();
  }

  @Test
  void aPasswordFileOnLoopbackKeepsAnonymousAccessUnlessTurnedOff() throws Exception {
    assertThat(
            resolve(listener("127.0.0.1") + "authentication: { passwordFile: passwd }\n")
                .authentication()
                .anonymous())
        .isTrue();
    assertThat(
            resolve(
                    listener("127.0.0.1")
                        + "authentication: { anonymous: false, passwordFile: passwd }\n")
                .authentication()
                .anonymous())
        .isFalse();
  }

  @Test
  void requiredClientCertificatesAuthenticateAListenerOnTheNetwork() throws Exception {
    SidecarSettings settings =
        resolve(
            "listeners: [{ name: devices, host: 0.0.0.0, port: 0, tls: { cert: server.pem,"
                + " key: server.pem, clientCa: ca.pem, requireClientCert: true } }]");
    assertThat(settings.authentication().anonymous()).isFalse();
  }

  @Test
  void anonymousFalseWrittenExplicitlyIsTakenAsWritten() throws Exception {
    assertThat(
            resolve(listener("0.0.0.0") + "authentication: { anonymous: false }\n")
                .authentication()
                .anonymous())
        .isFalse();
  }

  @Test
  void anUnknownHostIsOneLine() {
    assertThatThrownBy(() -> resolve(listener("no-such-host.invalid")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config.yaml: listener 'devices': unknown host 'no-such-host.invalid'");
  }

  @Test
  void theMqttSectionReachesTheBrokerAndMaximumQosIsKept() throws Exception {
    SidecarSettings settings =
        resolve(
            """
            mqtt:
              maxConnections: 50
              maxPacketSize: 2048
              maxQueuedMessages: 9
              maxQueuedBytes: 4096
              serverKeepAlive: 30
              receiveMaximum: 16
              topicAliasMaximum: 0
              maximumQos: 1
            limits: { maxPendingWills: 3 }
            sys: { interval: 0, lifecycleEvents: false }
            storage: { dataDir: store, durability: memory, syncIntervalMs: 5 }
            shutdownGrace: 4
            """);
    BrokerConfig broker = settings.broker();
    assertThat(broker.maxConnections()).isEqualTo(50);
    assertThat(broker.maxPacketSize()).isEqualTo(2048);
    assertThat(broker.maxQueuedMessages()).isEqualTo(9);
    assertThat(broker.maxQueuedBytes()).isEqualTo(4096);
    assertThat(broker.serverKeepAlive()).isEqualTo(Duration.ofSeconds(30));
    assertThat(broker.receiveMaximum()).isEqualTo(16);
    assertThat(broker.topicAliasMaximum()).isZero();
    assertThat(broker.maxPendingWills()).isEqualTo(3);
    assertThat(broker.sysInterval()).isZero();
    assertThat(broker.lifecycleEvents()).isFalse();
    assertThat(broker.dataDirectory()).isEqualTo(dir.resolve("store"));
    assertThat(broker.syncInterval()).isEqualTo(Duration.ofMillis(5));
    assertThat(settings.broker().maximumQos()).isEqualTo(1);
    assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(4));
    assertThat(resolve("").broker().serverKeepAlive()).isNull(); // the client's own keep alive
  }

  @Test
  void theLimitsSectionReachesTheBroker() throws Exception {
    BrokerConfig broker =
        resolve(
                """
                limits:
                  maxTopicLength: 256
                  maxTopicLevels: 8
                  maxSubscriptionsPerClient: 20
                  maxRetainedMessages: 5000
                  maxRetainedBytes: 1000000
                  maxPersistentSessions: 10
                  persistentSessionsByClientId: [{ clientId: "sensor-*", max: 2 }]
                """)
            .broker();
    assertThat(broker.maxTopicLength()).isEqualTo(256);
    assertThat(broker.maxTopicLevels()).isEqualTo(8);
    assertThat(broker.maxSubscriptionsPerClient()).isEqualTo(20);
    assertThat(broker.quotas())
        .isEqualTo(
            new Quotas(5000, 1_000_000, 10, List.of(new PersistentSessionLimit("sensor-*", 2))));
    assertThat(resolve("").broker().quotas()).isEqualTo(Quotas.DEFAULTS);
  }

  @Test
  void theSocketFolderIsTheFilesElseTheEnvironmentsElseDaprdsDefault() throws Exception {
    Configuration inFile = ConfigBinder.bind("socket: { folder: s }", "c.yaml", dir);
    assertThat(SettingsResolver.resolve(inFile, "/from/env").socketPath().folder())
        .isEqualTo(dir.resolve("s"));
    Configuration none = Configuration.defaults();
    assertThat(SettingsResolver.resolve(none, "/from/env").socketPath().folder())
        .isEqualTo(Path.of("/from/env"));
    assertThat(SettingsResolver.resolve(none, null).socketPath().folder())
        .isEqualTo(Path.of("/tmp/dapr-components-sockets"));
  }

  @Test
  void authorizationRulesAreHandedOnInFileOrder() throws Exception {
    SidecarSettings settings =
        resolve(
            "authorization:\n"
                + "  rules:\n"
                + "    - match: { username: a }\n"
                + "    - match: { username: b }\n");
    assertThat(settings.authorizationRules())
        .extracting(rule -> rule.match().username())
        .containsExactly("a", "b");
  }

  @Test
  void anHttpServerOnTheNetworkFollowsTheSameSecureDefault() throws Exception {
    String http = listener("127.0.0.1") + "http: { host: 0.0.0.0, port: 0 }\n";
    assertThatThrownBy(() -> resolve(http))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "config.yaml: the HTTP server binds 0.0.0.0, which is not a loopback address, and no"
                + " authentication is configured;");
    assertThat(resolve(http + "authentication: { passwordFile: passwd }\n").authentication())
        .isEqualTo(new AuthenticationSettings(false, dir.resolve("passwd"), null));
    assertThat(resolve(http + "authentication: { anonymous: true }\n").authentication().anonymous())
        .isTrue();
    assertThat(resolve(listener("127.0.0.1") + "http: { host: 0.0.0.0, enabled: false }\n"))
        .extracting(s -> s.authentication().anonymous())
        .isEqualTo(true);
  }
}
