package dev.mqttsidecar.bench.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.bench.BenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The durability benchmark, small, against the sidecar jar the build just made: every row is
 * measured and the restart finds the retained messages it filled.
 */
@Timeout(180)
class DurabilitySmokeTest {
  private static final Path JAR = Path.of("..", "component", "target", "mqtt-sidecar.jar");

  @Test
  void measuresWritesAndARestart(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("durability.md");
    int exit =
        new CommandLine(new BenchMain())
            .execute(
                "durability",
                "--jar",
                JAR.toString(),
                "--java-options",
                "-Xmx256m",
                "--writers",
                "1,4",
                "--seconds",
                "1",
                "--warmup",
                "0",
                "--retained",
                "3000",
                "--out",
                report.toString());
    assertThat(exit).isZero();
    String text = Files.readString(report);
    assertThat(text)
        .containsPattern("\\| retained QoS 1 PUBLISH, PUBACK after fsync \\| 4 \\| [0-9,]+ /s")
        .containsPattern("\\| Dapr state Set over the socket \\| 4 \\| [0-9,]+ /s")
        .containsPattern("\\| restart, 3,000 retained messages .* \\| [0-9,]+ ms");
  }
}
