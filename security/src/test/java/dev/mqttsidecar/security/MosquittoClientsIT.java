package dev.mqttsidecar.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mosquitto's own tools against the broker: a password file written by {@code mosquitto_passwd},
 * and {@code mosquitto_pub -u -P} connecting with it.
 */
@ExtendWith(LeakCheck.class)
class MosquittoClientsIT {
  private static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
  private static final Path MOSQUITTO_PASSWD = Path.of("/usr/bin/mosquitto_passwd");

  @TempDir Path dir;
  private Path passwd;

  /** A finished command: exit code and combined output. */
  private record Run(int exitCode, String output) {}

  private Run run(String... command) throws Exception {
    Path out = dir.resolve("out-" + System.nanoTime());
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 20 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  @BeforeEach
  void passwordFileByMosquittoPasswd() throws Exception {
    assumeTrue(Files.isExecutable(MOSQUITTO_PUB) && Files.isExecutable(MOSQUITTO_PASSWD));
    passwd = dir.resolve("passwd");
    Run r = run(MOSQUITTO_PASSWD.toString(), "-c", "-b", passwd.toString(), "alice", "s3cret");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private BrokerFixture broker() throws Exception {
    return BrokerFixture.start(
        BrokerConfig.builder()
            .authenticator(
                new ClientAuthenticator(
                    new AuthenticationSettings(false, passwd, null), Clock.systemUTC())));
  }

  private Run publish(BrokerFixture f, String version, String password, String message)
      throws Exception {
    return run(
        MOSQUITTO_PUB.toString(),
        "-h",
        "127.0.0.1",
        "-p",
        String.valueOf(f.port()),
        "-V",
        version,
        "-i",
        "mosq-" + version,
        "-u",
        "alice",
        "-P",
        password,
        "-q",
        "1",
        "-t",
        "devices/alice",
        "-m",
        message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void mosquittoPubConnectsWithThePasswordAndIsRefusedWithAWrongOne(String version)
      throws Exception {
    try (BrokerFixture f = broker()) {
      String subscriberPassword = "s3cret";
      Mqtt5BlockingClient sub = f.mqtt5("watcher").buildBlocking();
      sub.connectWith()
          .simpleAuth()
          .username("alice")
          .password(subscriberPassword.getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth()
          .send();
      f.track(sub);
      try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
          sub.publishes(MqttGlobalPublishFilter.ALL)) {
        sub.subscribeWith().topicFilter("devices/#").qos(MqttQos.AT_LEAST_ONCE).send();

        Run wrong = publish(f, version, "guess", "not delivered");
        assertThat(wrong.exitCode()).as(wrong.output()).isNotZero();
        assertThat(wrong.output().toLowerCase()).contains("bad user name or password");

        Run ok = publish(f, version, "s3cret", "hello from " + version);
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        var received = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(received).isPresent();
        assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("hello from " + version);
        assertThat(publishes.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void mosquittoPubWithoutCredentialsIsNotAuthorized(String version) throws Exception {
    try (BrokerFixture f = broker()) {
      Run r =
          run(
              List.of(
                      MOSQUITTO_PUB.toString(),
                      "-h",
                      "127.0.0.1",
                      "-p",
                      String.valueOf(f.port()),
                      "-V",
                      version,
                      "-t",
                      "t",
                      "-m",
                      "m")
                  .toArray(String[]::new));
      assertThat(r.exitCode()).as(r.output()).isNotZero();
      assertThat(r.output().toLowerCase()).contains("not authori");
    }
  }
}
