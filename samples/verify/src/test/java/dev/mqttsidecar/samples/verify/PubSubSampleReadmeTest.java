package dev.mqttsidecar.samples.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/pubsub/README.md, command by command, all but daprd: the build, the sidecar's start, the
 * apps' jars and components that {@code dapr run} would use, and the device commands against the
 * running sidecar.
 */
@Timeout(300)
class PubSubSampleReadmeTest {
  private static final Path SAMPLE = SampleSidecar.ROOT.resolve("samples/pubsub");

  @TempDir Path temp;

  @Test
  void theReadmesCommandsWork() throws Exception {
    assumeTrue(Tools.onPath("mosquitto_pub") && Tools.onPath("mosquitto_sub"), Tools.MISSING);
    ReadmeCommands readme = ReadmeCommands.of(SAMPLE.resolve("README.md"));

    // Build: the reactor has just built the sidecar jar as the first command does; the sample's
    // own build runs as written (offline: the reactor fetched its dependencies).
    assertThat(readme.one("mvn -B -pl component -am package")).contains("-DskipTests");
    assertThat(SampleSidecar.ROOT.resolve("component/target/mqtt-sidecar.jar")).isRegularFile();
    ShellProcess.run(
        readme.one("mvn -B -f samples/pubsub/pom.xml package") + " -o -q",
        SampleSidecar.ROOT,
        Map.of(),
        temp);

    // Run: the apps need daprd; what daprd would be given is checked.
    assertThat(
            Files.readString(
                SAMPLE.resolve("src/main/java/dev/mqttsidecar/samples/pubsub/Publisher.java")))
        .contains("\"mqtt-pubsub\"");
    for (String app : readme.starting("dapr run")) {
      DaprRunCheck.check(app, SampleSidecar.ROOT, "mqtt-pubsub", "pubsub.mqtt-sidecar");
    }
    assertThat(readme.starting("dapr run")).hasSize(2);

    try (SampleSidecar sidecar =
        SampleSidecar.start(readme.one("java -jar component/target/mqtt-sidecar.jar"), temp)) {
      String port = "-p " + sidecar.mqttPort();
      String watch = readme.one("mosquitto_sub").replace("-p 1883", port);
      String publish = readme.one("mosquitto_pub").replace("-p 1883", port);
      assertThat(watch).contains(port);
      assertThat(publish).contains(port);
      try (ShellProcess device = ShellProcess.start(watch, SampleSidecar.ROOT, Map.of(), temp)) {
        // The watcher's SUBACK is not visible from outside: publish until it sees one (bounded).
        String order = "{\"id\":99,\"item\":\"washers\",\"quantity\":5}";
        Tools.repeatUntil(
            () -> ShellProcess.run(publish, SampleSidecar.ROOT, Map.of(), temp),
            () -> device.output().contains(order),
            Duration.ofSeconds(30));
        assertThat(device.output()).contains("orders ").contains(order);
      }
    }
  }
}
