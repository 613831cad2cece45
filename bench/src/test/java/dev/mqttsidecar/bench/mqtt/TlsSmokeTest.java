package dev.mqttsidecar.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.bench.BenchMain;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code load} and {@code connections} with {@code --tls} against a broker that only speaks TLS.
 */
class TlsSmokeTest {
  @TempDir static Path dir;
  private static TestPki pki;
  private static Broker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    pki = TestPki.create(dir);
    Listener tlsOnly =
        new Listener("tls", "127.0.0.1", 0, Listener.Protocol.MQTT, pki.serverTls(false));
    broker =
        Broker.create(
            BrokerConfig.builder()
                .listeners(List.of(tlsOnly))
                .durability(Durability.MEMORY)
                .build());
    broker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.stop();
    }
  }

  private static int run(String command, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = command;
    all[1] = "--port=" + broker.mqttAddress().getPort();
    System.arraycopy(args, 0, all, 2, args.length);
    return new CommandLine(new BenchMain()).execute(all);
  }

  @Test
  void loadVerifiesTheServerAgainstACaFile() throws Exception {
    Path csv = dir.resolve("load.csv");
    int exit =
        run(
            "load",
            "--tls=" + pki.ca().cert(),
            "--qos",
            "1",
            "-p",
            "2",
            "--rate",
            "2000",
            "--warmup",
            "0.3",
            "--duration",
            "1",
            "--csv",
            csv.toString());
    assertThat(exit).isZero();
    String[] header = Files.readAllLines(csv).get(0).split(",");
    String[] row = Files.readAllLines(csv).get(1).split(",");
    assertThat(Long.parseLong(row[List.of(header).indexOf("received")])).isPositive();
    assertThat(row[List.of(header).indexOf("lost")]).isEqualTo("0");
  }

  @Test
  void connectionsTrustingAnyCertificate() throws Exception {
    Path csv = dir.resolve("connections.csv");
    int exit =
        run(
            "connections",
            "--tls",
            "-n",
            "50",
            "--source-addresses",
            "2",
            "--warmup-connections",
            "0",
            "--hold",
            "0",
            "--csv",
            csv.toString());
    assertThat(exit).isZero();
    assertThat(Files.readAllLines(csv).get(1)).contains(",50,50,");
  }

  @Test
  void withoutTlsNoConnectionGetsThrough() {
    int exit =
        run(
            "connections",
            "-n",
            "5",
            "--source-addresses",
            "1",
            "--warmup-connections",
            "0",
            "--hold",
            "0",
            "--timeout",
            "20");
    assertThat(exit).isEqualTo(1);
  }

  @Test
  void aCaThatDidNotSignTheServerIsRefused() {
    int exit =
        run(
            "connections",
            "--tls=" + pki.otherCa().cert(),
            "-n",
            "5",
            "--source-addresses",
            "1",
            "--warmup-connections",
            "0",
            "--hold",
            "0",
            "--timeout",
            "20");
    assertThat(exit).isEqualTo(1);
  }
}
