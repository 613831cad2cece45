package dev.mqttsidecar.broker.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Debian's {@code mosquitto_pub}/{@code mosquitto_sub} (package mosquitto-clients) exchange QoS
 * 0/1/2 and retained messages through the broker, with MQTT 3.1.1 and 5.0.
 */
@ExtendWith(LeakCheck.class)
class MosquittoInteropIT {
  private static final long TIMEOUT_SECONDS = 15;
  private BrokerFixture fixture;
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void requireClients() {
    assumeTrue(
        onPath("mosquitto_pub") && onPath("mosquitto_sub"),
        "mosquitto-clients not installed (apt-get install -y mosquitto-clients)");
  }

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start();
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

  private Process start(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  private List<String> base(String exe, String version) {
    return new ArrayList<>(
        List.of(exe, "-h", "127.0.0.1", "-p", String.valueOf(fixture.port()), "-V", version));
  }

  /**
   * Starts mosquitto_sub for one message, printing "retain|qos|topic|payload", and waits until
   * subscribed.
   */
  private Process subscriber(String version, String clientId, String topic, int qos)
      throws IOException {
    return subscriber(version, clientId, topic, qos, true);
  }

  private Process subscriber(
      String version, String clientId, String topic, int qos, boolean awaitSubscribed)
      throws IOException {
    List<String> cmd = base("mosquitto_sub", version);
    cmd.addAll(
        List.of(
            "-i",
            clientId,
            "-t",
            topic,
            "-q",
            String.valueOf(qos),
            "-C",
            "1",
            "-W",
            String.valueOf(TIMEOUT_SECONDS),
            "-F",
            "%r|%q|%t|%p"));
    Process p = start(cmd);
    if (!awaitSubscribed) {
      return p;
    }
    fixture.awaitSubscribers(topic, 1);
    return p;
  }

  private void publish(String version, String topic, String payload, int qos, boolean retain)
      throws Exception {
    List<String> cmd = base("mosquitto_pub", version);
    cmd.addAll(
        List.of("-i", "pub-" + version, "-t", topic, "-m", payload, "-q", String.valueOf(qos)));
    if (retain) {
      cmd.add("-r");
    }
    Process p = start(cmd);
    assertThat(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), UTF_8)).isZero();
  }

  private static String output(Process p) throws Exception {
    assertThat(p.waitFor(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS))
        .as("mosquitto_sub finished")
        .isTrue();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @ParameterizedTest(name = "{0} QoS {1}")
  @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
  void publishAndSubscribe(String version, int qos) throws Exception {
    String topic = "interop/" + version + "/" + qos;
    Process sub = subscriber(version, "sub-" + version + qos, topic, qos);
    publish(version, topic, "hello " + version, qos, false);
    assertThat(output(sub)).isEqualTo("0|" + qos + "|" + topic + "|hello " + version);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"mqttv311", "mqttv5"})
  void retainedMessages(String version) throws Exception {
    String topic = "interop/retained/" + version;
    publish(version, topic, "kept", 1, true);
    // The retained message arrives at once and the client exits: no need to wait for the
    // subscription.
    Process sub = subscriber(version, "rsub-" + version, topic, 2, false);
    assertThat(output(sub)).isEqualTo("1|1|" + topic + "|kept");
    // An empty retained message clears it.
    List<String> clear = base("mosquitto_pub", version);
    clear.addAll(List.of("-i", "clear", "-t", topic, "-n", "-r", "-q", "1"));
    Process p = start(clear);
    assertThat(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixture.broker().retained().get(topic).isEmpty());
  }

  @ParameterizedTest(name = "sub {0}, pub {1}")
  @CsvSource({"mqttv311,mqttv5", "mqttv5,mqttv311"})
  void versionsInteroperate(String subVersion, String pubVersion) throws Exception {
    String topic = "interop/mixed/" + subVersion;
    Process sub = subscriber(subVersion, "mixed-" + subVersion, topic, 2);
    publish(pubVersion, topic, "across", 2, false);
    assertThat(output(sub)).isEqualTo("0|2|" + topic + "|across");
  }
}
