package dev.mqttsidecar.bench.conn;

import dev.mqttsidecar.bench.mqtt.BrokerAddressOptions;
import dev.mqttsidecar.bench.mqtt.Transport;
import dev.mqttsidecar.bench.os.ProcFs;
import dev.mqttsidecar.bench.report.ResultFiles;
import io.netty.bootstrap.Bootstrap;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mqtt-bench connections}: opens many idle connections and measures rate and broker memory.
 */
@Command(
    name = "connections",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Opens N idle MQTT connections from several loopback source addresses (127.0.0.1, .2, ...),",
      "so that one source address never runs out of ephemeral ports, and reports the connection",
      "rate and, with --broker-pid, the broker's resident memory per connection.",
      "Each connection needs a file descriptor here and in the broker: see ulimit -n."
    })
public final class ConnectionsCommand implements Callable<Integer> {
  /** After the broker went idle, before its memory is read: both readings alike. */
  private static final long SETTLED_EXTRA_MILLIS = 1500;

  @Mixin BrokerAddressOptions broker;

  @Option(
      names = {"-n", "--connections"},
      defaultValue = "10000",
      description = "Connections to open (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--source-addresses",
      defaultValue = "8",
      description =
          "Loopback source addresses 127.0.0.1..N to spread over (default: ${DEFAULT-VALUE}).")
  int sourceAddresses;

  @Option(
      names = "--concurrency",
      defaultValue = "256",
      description = "Handshakes in progress at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--mqtt",
      defaultValue = "3.1.1",
      description = "3.1.1 or 5 (default: ${DEFAULT-VALUE}).")
  String mqtt;

  @Option(
      names = "--will",
      description =
          "Each CONNECT carries a will (QoS 1, 7 bytes, on bench/will/<client id>); closing the"
              + " connections at the end publishes them.")
  boolean will;

  @Option(
      names = "--broker-pid",
      defaultValue = "0",
      description = "Broker process id, to read its resident memory.")
  long brokerPid;

  @Option(
      names = "--hold",
      defaultValue = "3",
      description =
          "Seconds to keep the connections idle before measuring memory (default:"
              + " ${DEFAULT-VALUE}); then, as before the first reading, it waits until the broker"
              + " uses under 10% of a core over 0.5 s (at most 30 s) and 1.5 s more.")
  double hold;

  @Option(
      names = "--timeout",
      defaultValue = "180",
      description = "Seconds allowed for connecting (default: ${DEFAULT-VALUE}).")
  double timeout;

  @Option(
      names = "--warmup-connections",
      defaultValue = "500",
      description =
          "Connections opened and closed before the measured ones, not counted (default:"
              + " ${DEFAULT-VALUE}).")
  int warmupConnections;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "Generator event-loop threads; 0 = available processors (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--label",
      defaultValue = "broker",
      description = "Broker name in results (default: ${DEFAULT-VALUE}).")
  String label;

  @Option(
      names = "--name",
      defaultValue = "connections",
      description = "Run name in results (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--csv", paramLabel = "FILE", description = "Append the result as a CSV row.")
  Path csv;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the result as a JSON object.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (sourceAddresses < 1 || sourceAddresses > 254) {
      throw new IllegalArgumentException("--source-addresses must be in [1, 254]");
    }
    MqttVersion version = mqtt.startsWith("5") ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
    InetSocketAddress remote = broker.address();
    Duration limit = Duration.ofMillis((long) (timeout * 1000));
    ConnectionsResult result;
    try (Transport transport = Transport.create(threads, broker.tls())) {
      Bootstrap bootstrap = transport.bootstrapWithSourceAddresses();
      // Unmeasured round first: the generator's own connect path is compiled before it is timed.
      if (warmupConnections > 0) {
        try (IdleConnections warm =
            IdleConnections.open(
                bootstrap,
                remote,
                version,
                sourceAddresses,
                warmupConnections,
                concurrency,
                limit,
                will)) {
          warm.established();
        }
        TimeUnit.MILLISECONDS.sleep(500);
      }
      BrokerSettling.await(brokerPid, SETTLED_EXTRA_MILLIS);
      long rssBefore = ProcFs.rssKib(brokerPid);
      long start = System.nanoTime();
      try (IdleConnections idle =
          IdleConnections.open(
              bootstrap, remote, version, sourceAddresses, connections, concurrency, limit, will)) {
        long elapsedNanos = System.nanoTime() - start;
        int established = idle.established();
        if (established < connections) {
          System.err.println(
              "mqtt-bench connections: "
                  + (connections - established)
                  + " failed; first: "
                  + idle.firstFailure());
        }
        TimeUnit.MILLISECONDS.sleep((long) (hold * 1000));
        BrokerSettling.await(brokerPid, SETTLED_EXTRA_MILLIS);
        long rssAfter = ProcFs.rssKib(brokerPid);
        long perConnection =
            rssBefore < 0 || rssAfter < 0 || established == 0
                ? -1
                : (rssAfter - rssBefore) * 1024 / established;
        result =
            new ConnectionsResult(
                label,
                name,
                version == MqttVersion.MQTT_5 ? "5" : "3.1.1",
                connections,
                established,
                elapsedNanos / 1_000_000,
                established / (elapsedNanos / 1e9),
                rssBefore,
                rssAfter,
                perConnection);
      }
    }
    System.out.println(result.summary());
    if (csv != null) {
      ResultFiles.appendCsv(csv, ConnectionsResult.CSV_HEADER, result.csvRow());
    }
    if (json != null) {
      ResultFiles.writeJson(json, result.json());
    }
    return result.established() == connections ? 0 : 1;
  }
}
