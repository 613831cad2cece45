package dev.mqttsidecar.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.bench.BenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code soak --judge}: an earlier run's soak.csv judged again, without any load. */
class SoakJudgeTest {

  @Test
  void aRowReadsBackAsWritten() {
    Sample s =
        new Sample(
            120,
            new ProcessProbe.Resources(11_000, 150_000, 43, 62, 5 << 20),
            9,
            8,
            7,
            1,
            0,
            4,
            30);
    assertThat(Sample.parse(s.csv())).isEqualTo(s);
  }

  @Test
  void aGrowingStoreInAnEarlierRunIsNotFlat(@TempDir Path dir) throws Exception {
    assertThat(judge(dir, 1 << 20)).isEqualTo(1); // 1 MiB more every minute
    assertThat(judge(dir, 0)).isZero();
  }

  private static int judge(Path dir, long storeGrowthPerMinute) throws Exception {
    StringBuilder csv = new StringBuilder(Sample.CSV_HEADER).append('\n');
    for (int m = 0; m <= 60; m++) {
      long store = (4L << 20) + m * storeGrowthPerMinute;
      csv.append(
              new Sample(
                      m * 60.0,
                      new ProcessProbe.Resources(11_000, 150_000, 43, 62, store),
                      0,
                      0,
                      0,
                      0,
                      0,
                      0,
                      0)
                  .csv())
          .append('\n');
    }
    Path file = dir.resolve("soak.csv");
    Files.writeString(file, csv);
    return new CommandLine(new BenchMain()).execute("soak", "--judge", file.toString());
  }
}
