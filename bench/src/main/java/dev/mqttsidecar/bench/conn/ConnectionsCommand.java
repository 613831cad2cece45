package dev.mqttsidecar.bench.conn;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.Connector;
import dev.mqttsidecar.bench.mqtt.MqttPipeline;
import dev.mqttsidecar.bench.mqtt.Transport;
import dev.mqttsidecar.bench.os.ProcFs;
import dev.mqttsidecar.bench.report.ResultFiles;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mqtt-bench connections}: opens many idle connections and measures rate and broker memory. */
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

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Broker address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "1883", description = "Broker port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = {"-n", "--connections"}, defaultValue = "10000", description = "Connections to open (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--source-addresses", defaultValue = "8", description = "Loopback source addresses 127.0.0.1..N to spread over (default: ${DEFAULT-VALUE}).")
  int sourceAddresses;

  @Option(names = "--concurrency", defaultValue = "256", description = "Handshakes in progress at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--mqtt", defaultValue = "3.1.1", description = "3.1.1 or 5 (default: ${DEFAULT-VALUE}).")
  String mqtt;

  @Option(names = "--broker-pid", defaultValue = "0", description = "Broker process id, to read its resident memory.")
  long brokerPid;

  @Option(names = "--hold", defaultValue = "3", description = "Seconds to keep the connections idle before measuring memory (default: ${DEFAULT-VALUE}).")
  double hold;

  @Option(names = "--timeout", defaultValue = "180", description = "Seconds allowed for connecting (default: ${DEFAULT-VALUE}).")
  double timeout;

  @Option(names = "--threads", defaultValue = "0", description = "Generator event-loop threads; 0 = available processors (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--label", defaultValue = "broker", description = "Broker name in results (default: ${DEFAULT-VALUE}).")
  String label;

  @Option(names = "--name", defaultValue = "connections", description = "Run name in results (default: ${DEFAULT-VALUE}).")
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
    InetSocketAddress remote = new InetSocketAddress(host, port);
    String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    List<Channel> channels = Collections.synchronizedList(new ArrayList<>(connections));
    List<IdleClientHandler> handlers = Collections.synchronizedList(new ArrayList<>(connections));
    ConnectionsResult result;
    try (Transport transport = Transport.create(threads)) {
      Bootstrap bootstrap = transport.bootstrap();
      long rssBefore = ProcFs.rssKib(brokerPid);
      long start = System.nanoTime();
      List<Throwable> failures =
          Connector.openAll(
              connections,
              concurrency,
              Duration.ofMillis((long) (timeout * 1000)),
              i -> {
                IdleClientHandler h = new IdleClientHandler(new ClientSettings("c" + runId + "-" + i, version, 0, 0));
                handlers.add(h);
                InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + i % sourceAddresses), 0);
                channels.add(MqttPipeline.connect(bootstrap, remote, local, h).channel());
                return h.ready();
              });
      long elapsedNanos = System.nanoTime() - start;
      int established;
      synchronized (handlers) {
        established = (int) handlers.stream().filter(h -> h.ready().isDone() && !h.ready().isCompletedExceptionally()).count();
      }
      if (!failures.isEmpty()) {
        System.err.println("mqtt-bench connections: " + failures.size() + " failed; first: " + failures.get(0));
      }
      TimeUnit.MILLISECONDS.sleep((long) (hold * 1000));
      long rssAfter = ProcFs.rssKib(brokerPid);
      long perConnection = rssBefore < 0 || rssAfter < 0 || established == 0 ? -1 : (rssAfter - rssBefore) * 1024 / established;
      result =
          new ConnectionsResult(
              label, name, version == MqttVersion.MQTT_5 ? "5" : "3.1.1", connections, established,
              elapsedNanos / 1_000_000, established / (elapsedNanos / 1e9), rssBefore, rssAfter, perConnection);
      synchronized (channels) {
        channels.forEach(Channel::close);
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
