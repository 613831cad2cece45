package dev.mqttsidecar.samples.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/state-app/README.md, command by command, all but daprd: the sidecar started by {@code
 * bin/mqtt-sidecar}, the watcher script, the app's build and what {@code dapr run} would use, and
 * the device writing and deleting a key while the watcher (and a late one) look on.
 */
@Timeout(300)
class StateAppSampleReadmeTest {
  private static final Path SAMPLE = SampleSidecar.ROOT.resolve("samples/state-app");
  private static final String KEY_TOPIC = "$dapr/state/mqtt-state/myapp||devices/lamp-1";
  private static final String LAMP = "{\"room\":\"kitchen\",\"on\":false,\"brightness\":0}";

  @TempDir Path temp;

  @Test
  void theReadmesCommandsWork() throws Exception {
    assumeTrue(Tools.onPath("mosquitto_pub") && Tools.onPath("mosquitto_sub"), Tools.MISSING);
    ReadmeCommands readme = ReadmeCommands.of(SAMPLE.resolve("README.md"));

    readme.one("cd samples/state-app");
    ShellProcess.run(readme.one("mvn -q package") + " -o", SAMPLE, Map.of(), temp);
    assertThat(
            Files.readString(
                SAMPLE.resolve("src/main/java/dev/mqttsidecar/samples/state/StateApp.java")))
        .contains("\"mqtt-state\"");
    DaprRunCheck.check(readme.one("dapr run"), SAMPLE, "mqtt-state", "state.mqtt-sidecar");

    try (SampleSidecar sidecar = SampleSidecar.start(readme.one("bin/mqtt-sidecar"), temp)) {
      Map<String, String> env = Map.of("MQTT_PORT", Integer.toString(sidecar.mqttPort()));
      String port = " -p " + sidecar.mqttPort() + " ";
      String[] writes =
          readme.starting("mosquitto_pub").stream()
              .map(c -> c.replaceFirst("^mosquitto_pub ", "mosquitto_pub" + port))
              .toArray(String[]::new);
      assertThat(writes).hasSize(2);
      assertThat(writes[0]).contains("-r").contains(LAMP);
      assertThat(writes[1]).endsWith(" -n");

      try (ShellProcess watcher =
          ShellProcess.start(
              readme.one("samples/state-app/watch-devices.sh"), SampleSidecar.ROOT, env, temp)) {
        // The key is retained: the watcher gets it whether it subscribed before or after.
        ShellProcess.run(writes[0], SampleSidecar.ROOT, Map.of(), temp);
        watcher.awaitOutput(LAMP, Duration.ofSeconds(30));
        assertThat(watcher.output())
            .containsPattern(Pattern.quote(KEY_TOPIC) + " retain=[01] " + Pattern.quote(LAMP));

        // A watcher started later gets the current value at once, flagged retained.
        try (ShellProcess late =
            ShellProcess.start(
                readme.one("samples/state-app/watch-devices.sh"), SampleSidecar.ROOT, env, temp)) {
          late.awaitOutput(KEY_TOPIC + " retain=1 " + LAMP, Duration.ofSeconds(30));
        }

        // The empty retained publish deletes the key; the subscribed watcher sees an empty value.
        ShellProcess.run(writes[1], SampleSidecar.ROOT, Map.of(), temp);
        watcher.awaitOutput(KEY_TOPIC + " retain=0 \n", Duration.ofSeconds(30));
      }
    }
  }
}
