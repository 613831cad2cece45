package dev.mqttsidecar.bench.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.bench.BenchMain;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The idle-connection scenario, small: every connection from several source addresses gets CONNACK.
 */
class ConnectionsSmokeTest {

  @Test
  void opensIdleConnectionsFromSeveralLoopbackAddresses(@TempDir Path dir) throws Exception {
    try (Broker broker =
        Broker.create(BrokerConfig.builder().port(0).durability(Durability.MEMORY).build())) {
      broker.start();
      Path csv = dir.resolve("connections.csv");
      int exit =
          new CommandLine(new BenchMain())
              .execute(
                  "connections",
                  "--port",
                  Integer.toString(broker.mqttAddress().getPort()),
                  "-n",
                  "300",
                  "--source-addresses",
                  "3",
                  "--hold",
                  "0",
                  "--broker-pid",
                  Long.toString(ProcessHandle.current().pid()),
                  "--csv",
                  csv.toString());

      assertThat(exit).isZero();
      List<String> lines = Files.readAllLines(csv);
      assertThat(lines.get(0)).isEqualTo(ConnectionsResult.CSV_HEADER);
      assertThat(lines.get(1)).contains(",300,300,");
    }
  }
}
