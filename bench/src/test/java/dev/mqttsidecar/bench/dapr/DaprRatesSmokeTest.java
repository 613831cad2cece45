package dev.mqttsidecar.bench.dapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.bench.BenchMain;
import dev.mqttsidecar.bench.durable.SidecarUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Dapr rates, briefly, through the socket of the sidecar jar the build just made. */
@Timeout(120)
class DaprRatesSmokeTest {
  private static final Path JAR = Path.of("..", "component", "target", "mqtt-sidecar.jar");

  @Test
  void measuresEveryScenario(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("rates.csv");
    try (SidecarUnderTest sidecar =
        SidecarUnderTest.start(
            JAR.toAbsolutePath(),
            "-Xmx256m",
            dir,
            dir.resolve("data"),
            "memory",
            Duration.ofSeconds(60))) {
      int exit =
          new CommandLine(new BenchMain())
              .execute(
                  "dapr-rates",
                  "--socket",
                  sidecar.socket(dir).toString(),
                  "--callers",
                  "4",
                  "--warmup",
                  "0",
                  "--duration",
                  "1",
                  "--label",
                  "embedded",
                  "--csv",
                  csv.toString());
      assertThat(exit).isZero();
    }
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).matches("embedded,publish-pull-ack,[1-9][0-9]*");
    assertThat(rows.get(1)).matches("embedded,state-set,[1-9][0-9]*");
    assertThat(rows.get(2)).matches("embedded,state-get,[1-9][0-9]*");
  }
}
