package dev.mqttsidecar.bench.load;

import dev.mqttsidecar.bench.mqtt.BrokerAddressOptions;
import dev.mqttsidecar.bench.report.ResultFiles;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mqtt-bench load}: one load run against a running broker. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Publishes numbered, time-stamped messages and measures what the subscribers receive.",
      "Prints one summary line; --csv appends a row, --json writes the same values as JSON.",
      "Exit code 0 when the run completed, 1 when connections failed, 3 when QoS 1/2 lost or"
          + " duplicated."
    })
public final class LoadCommand implements Callable<Integer> {

  @Mixin BrokerAddressOptions broker;

  @Option(
      names = "--subscriber-port",
      description =
          "Port of the broker the subscribers connect to, on --host (default: --port); another"
              + " port measures forwarding from the --port broker to that one.")
  Integer subscriberPort;

  @Option(
      names = "--scenario",
      defaultValue = "pairs",
      description = "pairs, fan-in or fan-out (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = {"-p", "--publishers"},
      defaultValue = "4",
      description =
          "Publisher connections; pairs: the number of pairs (default: ${DEFAULT-VALUE}).")
  int publishers;

  @Option(
      names = {"-s", "--subscribers"},
      defaultValue = "4",
      description = "Subscriber connections for fan-out (default: ${DEFAULT-VALUE}).")
  int subscribers;

  @Option(
      names = "--qos",
      defaultValue = "0",
      description = "0, 1 or 2 (default: ${DEFAULT-VALUE}).")
  int qos;

  @Option(
      names = "--mqtt",
      defaultValue = "3.1.1",
      description = "3.1.1 or 5 (default: ${DEFAULT-VALUE}).")
  String mqtt;

  @Option(
      names = "--payload",
      defaultValue = "64",
      description = "Payload bytes, at least 20 (default: ${DEFAULT-VALUE}).")
  int payload;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Offered load in msg/s over all publishers, open loop; 0 = max rate (default:"
              + " ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description =
          "Seconds of warm-up, left out of latency and rates (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--window",
      defaultValue = "100",
      description = "QoS 1/2 messages in flight per publisher (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--max-outstanding",
      defaultValue = "0",
      description = {
        "Messages all publishers together may have sent but not yet delivered; 0 = no bound"
            + " (default: ${DEFAULT-VALUE}).",
        "With a bound, a max-rate run measures what the broker sustains instead of how it sheds"
            + " overload."
      })
  int maxOutstanding;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "Generator event-loop threads; 0 = available processors (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--drain-timeout",
      defaultValue = "10",
      description =
          "Seconds to wait for messages in transit after publishing stops (default:"
              + " ${DEFAULT-VALUE}).")
  double drainTimeout;

  @Option(
      names = "--broker-pid",
      defaultValue = "0",
      description = "Broker process id, to report the broker's CPU use.")
  long brokerPid;

  @Option(
      names = "--label",
      defaultValue = "broker",
      description = "Broker name in results (default: ${DEFAULT-VALUE}).")
  String label;

  @Option(
      names = "--name",
      description = "Run name in results (default: derived from the options).")
  String name;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description = "Append the result as a CSV row (header written to a new file).")
  Path csv;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the result as a JSON object.")
  Path json;

  @Override
  public Integer call() throws Exception {
    LoadSpec spec = spec();
    String runName = name != null ? name : defaultName(spec);
    LoadResult result;
    try {
      result = new LoadRun(spec, broker.tls(), label, runName, brokerPid).run();
    } catch (IllegalStateException e) {
      System.err.println("mqtt-bench load: " + e.getMessage());
      return 1;
    }
    System.out.println(result.summary());
    if (csv != null) {
      ResultFiles.appendCsv(csv, LoadResult.CSV_HEADER, result.csvRow());
    }
    if (json != null) {
      ResultFiles.writeJson(json, result.json());
    }
    boolean reliable = spec.qos() != MqttQoS.AT_MOST_ONCE;
    return reliable
            && (result.lost() > 0 || result.duplicates() > 0 && spec.qos() == MqttQoS.EXACTLY_ONCE)
        ? 3
        : 0;
  }

  LoadSpec spec() {
    MqttVersion version =
        switch (mqtt) {
          case "3.1.1", "3", "4" -> MqttVersion.MQTT_3_1_1;
          case "5", "5.0" -> MqttVersion.MQTT_5;
          default -> throw new IllegalArgumentException("--mqtt must be 3.1.1 or 5, was " + mqtt);
        };
    InetSocketAddress publishTo = broker.address();
    return new LoadSpec(
        publishTo,
        subscriberPort == null
            ? publishTo
            : new InetSocketAddress(publishTo.getHostString(), subscriberPort),
        Scenario.parse(scenario),
        publishers,
        subscribers,
        MqttQoS.valueOf(qos),
        version,
        payload,
        rate,
        seconds(warmup),
        seconds(duration),
        window,
        threads,
        seconds(drainTimeout),
        maxOutstanding);
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private static String defaultName(LoadSpec spec) {
    String rate = spec.maxRate() ? "max" : String.format("%.0f", spec.targetRate());
    return spec.scenario().label() + "-qos" + spec.qos().value() + "-" + rate;
  }
}
