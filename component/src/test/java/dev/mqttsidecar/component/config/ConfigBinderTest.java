package dev.mqttsidecar.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.Listener.Protocol;
import dev.mqttsidecar.broker.PersistentSessionLimit;
import dev.mqttsidecar.broker.Quotas;
import dev.mqttsidecar.component.logging.LogFormat;
import dev.mqttsidecar.security.AuthenticationSettings.JwtSettings;
import dev.mqttsidecar.security.AuthorizationRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading every key of the configuration file, and the defaults of the keys left out. */
class ConfigBinderTest {
  @TempDir Path dir;

  @BeforeEach
  void filesTheConfigurationNames() throws Exception {
    for (String name : List.of("server.pem", "server-key.pem", "ca.pem", "passwd", "jwks.json")) {
      Files.writeString(dir.resolve(name), "");
    }
  }

  private Configuration bind(String yaml) throws ConfigException {
    return ConfigBinder.bind(yaml, "config.yaml", dir);
  }

  @Test
  void everyKeyIsRead() throws Exception {
    Configuration c =
        bind(
            """
            socket:
              folder: sockets
              name: factory
              mode: "0600"
              allowWorldWritableFolder: true
            listeners:
              - name: local
                host: localhost
                port: 0
              - name: devices
                host: 0.0.0.0
                port: 8883
                protocol: websocket
                tls:
                  cert: server.pem
                  key: server-key.pem
                  clientCa: ca.pem
                  requireClientCert: true
            authentication:
              anonymous: false
              passwordFile: passwd
              jwt:
                jwks: jwks.json
                issuer: https://issuer.example
                audience: mqtt-sidecar
            authorization:
              rules:
                - match: { username: "admin", listener: devices }
                  publish: ["#"]
                  subscribe: ["#", "$SYS/#"]
                - match: { certCommonName: "*", clientId: "dev-*" }
                  publish: ["devices/${client.certCommonName}/#"]
                  subscribe: ["commands/${client.id}/#"]
            mqtt:
              maxConnections: 50
              maxPacketSize: 1024
              maxQueuedMessages: 7
              serverKeepAlive: 60
              receiveMaximum: 16
              topicAliasMaximum: 4
              maximumQos: 1
            limits:
              maxTopicLength: 256
              maxTopicLevels: 8
              maxSubscriptionsPerClient: 20
              maxRetainedMessages: 5000
              maxRetainedBytes: 10000000000
              maxPersistentSessions: 0
              persistentSessionsByClientId:
                - { clientId: "sensor-*", max: 10 }
                - { clientId: "gateway", max: 0 }
              maxPendingWills: 500
            sys:
              interval: 0
              lifecycleEvents: false
            storage:
              dataDir: /var/lib/store
              durability: periodic
              syncIntervalMs: 250
            shutdownGrace: 3
            log:
              level: debug
              format: json
            """);

    assertThat(c.source()).isEqualTo("config.yaml");
    assertThat(c.socket())
        .isEqualTo(
            new Configuration.Socket(
                dir.resolve("sockets"),
                "factory",
                PosixFilePermissions.fromString("rw-------"),
                true));
    assertThat(c.listeners())
        .containsExactly(
            new Listener("local", "localhost", 0, Protocol.MQTT, null),
            new Listener(
                "devices",
                "0.0.0.0",
                8883,
                Protocol.WEBSOCKET,
                new Listener.Tls(
                    dir.resolve("server.pem"),
                    dir.resolve("server-key.pem"),
                    dir.resolve("ca.pem"),
                    true)));
    assertThat(c.authentication())
        .isEqualTo(
            new Configuration.Authentication(
                false,
                dir.resolve("passwd"),
                new JwtSettings(
                    dir.resolve("jwks.json"), "https://issuer.example", "mqtt-sidecar")));
    assertThat(c.authorizationRules())
        .containsExactly(
            new AuthorizationRule(
                new AuthorizationRule.Match(null, "admin", null, "devices"),
                List.of("#"),
                List.of("#", "$SYS/#")),
            new AuthorizationRule(
                new AuthorizationRule.Match("dev-*", null, "*", null),
                List.of("devices/${client.certCommonName}/#"),
                List.of("commands/${client.id}/#")));
    assertThat(c.mqtt()).isEqualTo(new Configuration.Mqtt(50, 1024, 7, 60, 16, 4, 1));
    assertThat(c.limits())
        .isEqualTo(
            new Configuration.Limits(
                256,
                8,
                20,
                new Quotas(
                    5000,
                    10_000_000_000L,
                    0,
                    List.of(
                        new PersistentSessionLimit("sensor-*", 10),
                        new PersistentSessionLimit("gateway", 0))),
                500));
    assertThat(c.sys()).isEqualTo(new Configuration.Sys(Duration.ZERO, false));
    assertThat(c.storage())
        .isEqualTo(
            new Configuration.Storage(
                Path.of("/var/lib/store"), Durability.PERIODIC, Duration.ofMillis(250)));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.logLevel()).isEqualTo("DEBUG");
    assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void anEmptyFileOrOneWithOnlyCommentsIsEveryDefault() throws Exception {
    Configuration defaults = Configuration.defaults();
    for (String yaml : List.of("", "# nothing here\n", "socket:\nmqtt:\nlimits:\n")) {
      Configuration c = bind(yaml);
      assertThat(c.socket()).isEqualTo(defaults.socket());
      assertThat(c.listeners()).isEqualTo(defaults.listeners());
      assertThat(c.authentication()).isEqualTo(defaults.authentication());
      assertThat(c.authorizationRules()).isNull();
      assertThat(c.mqtt()).isEqualTo(defaults.mqtt());
      assertThat(c.limits()).isEqualTo(defaults.limits());
      assertThat(c.sys()).isEqualTo(defaults.sys());
      assertThat(c.storage()).isEqualTo(defaults.storage());
      assertThat(c.shutdownGrace()).isEqualTo(defaults.shutdownGrace());
      assertThat(c.logLevel()).isEqualTo(defaults.logLevel());
      assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
    }
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    Configuration c = Configuration.defaults();
    assertThat(c.socket().folder()).isNull(); // $DAPR_COMPONENTS_SOCKETS_FOLDER or daprd's default
    assertThat(c.socket().name()).isEqualTo("mqtt-sidecar");
    assertThat(FileMode.format(c.socket().mode())).isEqualTo("0660");
    assertThat(c.listeners()).containsExactly(Listener.plain("127.0.0.1", 1883));
    assertThat(c.mqtt())
        .isEqualTo(new Configuration.Mqtt(100_000, 5_242_880, 10_000, null, 1024, 64, 2));
    assertThat(c.limits())
        .isEqualTo(
            new Configuration.Limits(
                65_535, 64, 1000, new Quotas(2_000_000, 4L << 30, 100_000, List.of()), 100_000));
    assertThat(c.sys()).isEqualTo(new Configuration.Sys(Duration.ofSeconds(10), true));
    assertThat(c.storage())
        .isEqualTo(
            new Configuration.Storage(Path.of("data"), Durability.FSYNC, Duration.ofMillis(100)));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.logLevel()).isEqualTo("INFO");
  }

  @Test
  void aListenerWithoutHostOrProtocolIsPlainMqttOnLoopback() throws Exception {
    Configuration c = bind("listeners:\n  - name: a\n    port: 1884\n");
    assertThat(c.listeners())
        .containsExactly(new Listener("a", "127.0.0.1", 1884, Protocol.MQTT, null));
  }

  @Test
  void relativePathsResolveAgainstTheFilesFolderAndAbsoluteOnesStay() throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    Files.writeString(dir.resolve("tls/cert.pem"), "");
    Configuration c =
        bind(
            """
            socket: { folder: ../sockets }
            storage: { dataDir: /srv/data }
            listeners:
              - name: a
                port: 1
                tls: { cert: tls/cert.pem, key: %s }
            """
                .formatted(dir.resolve("server-key.pem")));
    assertThat(c.socket().folder()).isEqualTo(dir.getParent().resolve("sockets"));
    assertThat(c.storage().dataDir()).isEqualTo(Path.of("/srv/data"));
    assertThat(c.listeners().get(0).tls().cert()).isEqualTo(dir.resolve("tls/cert.pem"));
    assertThat(c.listeners().get(0).tls().key()).isEqualTo(dir.resolve("server-key.pem"));
  }

  @Test
  void theConsoleIsOnUnlessSwitchedOff() throws Exception {
    assertThat(bind("http: { port: 0 }").http().console()).isTrue();
    assertThat(bind("http: { console: false }").http().console()).isFalse();
  }

  @Test
  void theEmbeddedBrokerIsOnUnlessSwitchedOff() throws Exception {
    assertThat(bind("mqtt: { maxConnections: 5 }").mqtt().embeddedBroker()).isTrue();
    assertThat(bind("mqtt: { embeddedBroker: false }").mqtt().embeddedBroker()).isFalse();
  }

  @Test
  void queuesAreBoundedInBytesAsWrittenAndAtLeastOne() throws Exception {
    assertThat(bind("mqtt: { maxQueuedBytes: 5000000000 }").mqtt().maxQueuedBytes())
        .isEqualTo(5_000_000_000L);
    assertThatThrownBy(() -> bind("mqtt: { maxQueuedBytes: 0 }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mqtt.maxQueuedBytes");
  }

  @Test
  void theSocketModeMayBeWrittenWithOrWithoutQuotes() throws Exception {
    assertThat(bind("socket: { mode: 0640 }").socket().mode())
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    assertThat(bind("socket: { mode: \"640\" }").socket().mode())
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
  }

  @Test
  void aRuleWithAnEmptyMatchIsForEveryClient() throws Exception {
    Configuration c = bind("authorization:\n  rules:\n    - match: {}\n      subscribe: [a/#]\n");
    assertThat(c.authorizationRules())
        .containsExactly(
            new AuthorizationRule(
                new AuthorizationRule.Match(null, null, null, null), List.of(), List.of("a/#")));
  }

  @Test
  void aLoadedFileIsNamedAsGivenAndResolvesAgainstItsOwnFolder() throws Exception {
    Path file = dir.resolve("conf").resolve("sidecar.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "storage:\n  dataDir: store\n");
    Configuration c = ConfigBinder.load(file, "conf/sidecar.yaml");
    assertThat(c.source()).isEqualTo("conf/sidecar.yaml");
    assertThat(c.storage().dataDir()).isEqualTo(dir.resolve("conf/store"));
  }

  @Test
  void aMissingConfigurationFileIsOneLine() {
    assertThatThrownBy(() -> ConfigBinder.load(dir.resolve("nope.yaml"), "nope.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("nope.yaml: file not found");
  }
}
