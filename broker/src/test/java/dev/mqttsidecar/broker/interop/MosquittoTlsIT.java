package dev.mqttsidecar.broker.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.TestPki;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's {@code mosquitto_pub}/{@code mosquitto_sub} (OpenSSL clients) against a TLS listener
 * that requires client certificates, with keys in PKCS#8 and traditional PEM files.
 */
@ExtendWith(LeakCheck.class)
class MosquittoTlsIT {
  private static final long TIMEOUT_SECONDS = 15;
  @TempDir static Path dir;
  private static TestPki pki;
  private BrokerFixture fixture;
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void requireClients() {
    assumeTrue(
        onPath("mosquitto_pub") && onPath("mosquitto_sub"),
        "mosquitto-clients not installed (apt-get install -y mosquitto-clients)");
    pki = TestPki.create(dir);
  }

  @BeforeEach
  void start() throws Exception {
    Listener devices =
        new Listener("devices", "127.0.0.1", 0, Listener.Protocol.MQTT, pki.serverTls(true));
    fixture = BrokerFixture.start(BrokerConfig.builder().listeners(List.of(devices)));
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    fixture.close();
  }

  private static boolean onPath(String exe) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }

  /** The command with host, port, version and TLS options; {@code cert} null: no certificate. */
  private List<String> command(String exe, String version, Path cert, Path key) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                exe,
                "-h",
                "127.0.0.1", // verified against the server certificate's IP address name
                "-p",
                String.valueOf(fixture.port()),
                "-V",
                version,
                "--cafile",
                pki.ca().cert().toString()));
    if (cert != null) {
      cmd.addAll(List.of("--cert", cert.toString(), "--key", key.toString()));
    }
    return cmd;
  }

  private Process start(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  private static String finish(Process p) throws Exception {
    assertThat(p.waitFor(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)).as("finished").isTrue();
    return new String(p.getInputStream().readAllBytes(), UTF_8).trim();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void publishAndSubscribeWithClientCertificates(String version) throws Exception {
    TestPki.Credential device = pki.device1();
    String topic = "tls/" + version;
    List<String> sub = command("mosquitto_sub", version, device.cert(), device.key());
    sub.addAll(
        List.of(
            "-i",
            "sub-" + version,
            "-t",
            topic,
            "-q",
            "1",
            "-C",
            "1",
            "-W",
            String.valueOf(TIMEOUT_SECONDS),
            "-F",
            "%t|%p"));
    Process subscriber = start(sub);
    fixture.awaitSubscribers(topic, 1);

    // The publisher's key is in the traditional form (BEGIN EC PRIVATE KEY).
    List<String> pub = command("mosquitto_pub", version, device.cert(), device.traditionalKey());
    pub.addAll(List.of("-i", "pub-" + version, "-t", topic, "-m", "over tls", "-q", "1"));
    Process publisher = start(pub);
    String published = finish(publisher);
    assertThat(publisher.exitValue()).as(published).isZero();

    String received = finish(subscriber);
    assertThat(subscriber.exitValue()).as(received).isZero();
    assertThat(received).isEqualTo(topic + "|over tls");
  }

  @Test
  void aClientWithoutCertificateIsRefused() throws Exception {
    List<String> pub = command("mosquitto_pub", "mqttv5", null, null);
    pub.addAll(List.of("-i", "no-cert", "-t", "tls/x", "-m", "x", "-q", "1"));
    Process publisher = start(pub);
    String output = finish(publisher);
    assertThat(publisher.exitValue()).as(output).isNotZero();
  }
}
