package dev.mqttsidecar.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.bench.BenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A minute of the soak against the sidecar jar the build just made, sampled every 6 s: the files
 * are written, nothing acknowledged is lost, and the process stays flat.
 */
@Timeout(150) // 1 min of load, plus up to 60 s waiting for messages that never come
class SoakSmokeTest {
  private static final Path JAR = Path.of("..", "component", "target", "mqtt-sidecar.jar");

  @Test
  void aMinuteOfMixedLoadStayFlatAndLoseNothing(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("soak");
    int exit =
        new CommandLine(new BenchMain())
            .execute(
                "soak",
                "--jar",
                JAR.toString(),
                "--java-options",
                "@../config/jvm.options -Xmx256m",
                "--duration",
                "1m",
                "--sample-every",
                "6s",
                "--out",
                out.toString());

    String report = Files.readString(out.resolve("soak.md"));
    assertThat(exit).as(report).isZero();
    List<String> csv = Files.readAllLines(out.resolve("soak.csv"));
    assertThat(csv.get(0)).isEqualTo(Sample.CSV_HEADER);
    assertThat(csv).hasSize(1 + 11); // samples at 0, 6, ..., 60 s
    assertThat(Sample.parse(csv.get(csv.size() - 1)).elapsedSeconds()).isBetween(60.0, 70.0);
    assertThat(report)
        .contains("Verdict: **flat**")
        .containsPattern("\\| lost messages \\| .* \\| 0 \\| ok \\|")
        .containsPattern("\\| MQTT QoS 2 \\| [1-9][0-9,]* \\| [0-9,]+ \\| [0-9,]+ \\| 0 \\| 0 \\|")
        .containsPattern("\\| MQTT retained read back .* \\| 1,000 \\| 1,000 \\| 0 \\| 0 \\|")
        .containsPattern("\\| Dapr Publish \\+ PullMessages \\| [1-9][0-9,]* \\|.* \\| 0 \\| 0 \\|")
        .containsPattern("\\| Dapr state Set/Get/Delete/TTL \\| [1-9][0-9,]* \\|.* \\| 0 \\| 0 \\|")
        .doesNotContain("FAIL");
    assertThat(out.resolve("soak.gp")).exists();
  }
}
