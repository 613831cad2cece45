package dev.mqttsidecar.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.bench.BenchMain;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A few seconds of the real generator against the embedded broker on port 0, through the same
 * command line that {@code bench/compare} uses: nothing lost or duplicated at QoS 1/2, and the
 * result files written.
 */
class LoadSmokeTest {
  private static Broker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = Broker.create(BrokerConfig.builder().port(0).durability(Durability.MEMORY).build());
    broker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void qos1PairsOpenLoopLoseNothing(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("load.csv");
    Path json = dir.resolve("run.json");
    int exit =
        run(
            "--qos",
            "1",
            "-p",
            "4",
            "--rate",
            "4000",
            "--warmup",
            "0.5",
            "--duration",
            "1.5",
            "--csv",
            csv.toString(),
            "--json",
            json.toString(),
            "--label",
            "embedded",
            "--name",
            "smoke");

    assertThat(exit).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo(LoadResult.CSV_HEADER);
    String[] header = lines.get(0).split(",");
    String[] row = lines.get(1).split(",");
    long sent = Long.parseLong(column(header, row, "sent"));
    assertThat(sent).isGreaterThan(4000);
    assertThat(column(header, row, "received")).isEqualTo(Long.toString(sent));
    assertThat(column(header, row, "lost")).isEqualTo("0");
    assertThat(column(header, row, "duplicates")).isEqualTo("0");
    assertThat(column(header, row, "errors")).isEqualTo("0");
    assertThat(Files.readString(json)).contains("\"label\": \"embedded\"", "\"lost\": 0");
  }

  @Test
  void qos2FanInOverMqtt5MaxRateLosesNothing(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("load.csv");
    int exit =
        run(
            "--scenario",
            "fan-in",
            "-p",
            "3",
            "--qos",
            "2",
            "--mqtt",
            "5",
            "--warmup",
            "0.5",
            "--duration",
            "1",
            "--max-outstanding",
            "300",
            "--csv",
            csv.toString());

    assertThat(exit).as("exit 3 means QoS 2 lost or duplicated messages").isZero();
    String[] header = Files.readAllLines(csv).get(0).split(",");
    String[] row = Files.readAllLines(csv).get(1).split(",");
    assertThat(Long.parseLong(column(header, row, "sent"))).isPositive();
    assertThat(column(header, row, "unique")).isEqualTo(column(header, row, "sent"));
  }

  @Test
  void subscribersOnAnotherBrokerGetOnlyWhatIsForwardedThere(@TempDir Path dir) throws Exception {
    // A second broker that nothing forwards to: every message is lost, which shows the
    // subscribers are there and not on the publishers' broker.
    Broker other =
        Broker.create(BrokerConfig.builder().port(0).durability(Durability.MEMORY).build());
    other.start();
    Path csv = dir.resolve("load.csv");
    int exit;
    try {
      exit =
          run(
              "--subscriber-port",
              Integer.toString(other.mqttAddress().getPort()),
              "--qos",
              "1",
              "-p",
              "2",
              "--rate",
              "1000",
              "--warmup",
              "0",
              "--duration",
              "1",
              "--drain-timeout",
              "1",
              "--csv",
              csv.toString());
    } finally {
      other.stop();
    }

    assertThat(exit).as("exit 3: QoS 1 messages lost").isEqualTo(3);
    String[] header = Files.readAllLines(csv).get(0).split(",");
    String[] row = Files.readAllLines(csv).get(1).split(",");
    assertThat(Long.parseLong(column(header, row, "sent"))).isPositive();
    assertThat(column(header, row, "received")).isEqualTo("0");
  }

  private static int run(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "load";
    all[1] = "--port=" + broker.mqttAddress().getPort();
    all[2] = "--host=" + broker.mqttAddress().getHostString();
    System.arraycopy(args, 0, all, 3, args.length);
    return new CommandLine(new BenchMain()).execute(all);
  }

  private static String column(String[] header, String[] row, String name) {
    return row[List.of(header).indexOf(name)];
  }
}
