package dev.mqttsidecar.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.bench.BenchMain;
import dev.mqttsidecar.bench.conn.ConnectionsResult;
import dev.mqttsidecar.bench.load.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {

  @Test
  void writesTablesRatiosTargetsAndPlotScript(@TempDir Path dir) throws Exception {
    for (String label : new String[] {"sidecar", "mosquitto", "hivemq"}) {
      double factor = label.equals("sidecar") ? 2 : label.equals("mosquitto") ? 1 : 0.5;
      for (int round = 0; round < 3; round++) {
        ResultFiles.appendCsv(
            dir.resolve("load.csv"),
            LoadResult.CSV_HEADER,
            row(label, "max-qos1-pairs", 0, 50_000 * factor, 900).csvRow());
        ResultFiles.appendCsv(
            dir.resolve("load.csv"),
            LoadResult.CSV_HEADER,
            row(label, "latency-qos1-50pct", 25_000, 25_000, 400 / factor).csvRow());
      }
      ResultFiles.appendCsv(
          dir.resolve("connections.csv"),
          ConnectionsResult.CSV_HEADER,
          new ConnectionsResult(
                  label,
                  "connections",
                  "3.1.1",
                  10_000,
                  10_000,
                  2_000,
                  5_000,
                  40_000,
                  80_000,
                  4_096)
              .csvRow());
    }

    // The sidecar's own variant is not one of "the other Java brokers".
    ResultFiles.appendCsv(
        dir.resolve("load.csv"),
        LoadResult.CSV_HEADER,
        row("sidecar-persist", "max-qos1-pairs", 0, 120_000, 900).csvRow());
    // An overloaded broker that sent nothing in the measured window has no latency samples.
    ResultFiles.appendCsv(
        dir.resolve("load.csv"),
        LoadResult.CSV_HEADER,
        row("moquette", "latency-qos1-50pct", 25_000, 3_000, 0).csvRow());

    int exit =
        new CommandLine(new BenchMain())
            .execute("report", "--dir", dir.toString(), "--note", "Machine: test");

    assertThat(exit).isZero();
    String md = Files.readString(dir.resolve("results.md"));
    assertThat(md)
        .contains("Machine: test")
        .contains("| max-qos1-pairs | delivered msg/s | 100,000 | 50,000 | 2.00x | hivemq 25,000 |")
        .contains(
            "met: max-qos1-pairs: throughput 2.00x mosquitto (target >= 1.5x), ahead of the other"
                + " Java brokers")
        .contains("| latency-qos1-50pct | p99 latency | 200us | 400us | 0.50x | hivemq 800us |")
        .contains("| moquette | 3,000 | 3,000 | - | - | - | - | - |")
        .contains("met: latency-qos1-50pct: p99 200us vs mosquitto 400us")
        .contains("met: 100,000 idle connections: 430 MiB resident")
        .contains("met: QoS 1/2: 0 lost");
    assertThat(Files.readString(dir.resolve("latency.gp")))
        .contains("latency-sidecar.dat", "set output 'latency.png'");
    assertThat(Files.readString(dir.resolve("latency-sidecar.dat")))
        .contains("25000 25000 0.2000 0.2000");
  }

  private static LoadResult row(
      String label, String name, double rate, double delivered, double p99) {
    return new LoadResult(
        label, name, "pairs", "3.1.1", 1, 4, 4, 64, rate, 1, 5, 1000, 1000, 1000, 1000, 0, 0, 0,
        delivered, delivered, p99, p99, p99, p99, p99, p99, 0.9, 0.8, 0);
  }
}
