package dev.mqttsidecar.bench.dapr;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Dapr call rates through a running sidecar's socket, as daprd makes the calls: Publish ->
 * PullMessages -> ack, state Set and state Get. The Components are initialised with the given
 * metadata, so the same command measures embedded mode (no {@code url}) and remote mode.
 */
@Command(
    name = "dapr-rates",
    mixinStandardHelpOptions = true,
    description =
        "Publish -> PullMessages -> ack, state Set and Get rates through a sidecar socket.")
public final class DaprRatesCommand implements Callable<Integer> {
  @Option(names = "--socket", required = true, description = "The sidecar's Unix socket.")
  Path socket;

  @Option(
      names = "--metadata",
      description = "Component metadata for both Components, key=value (repeatable).")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Option(
      names = "--callers",
      defaultValue = "16",
      description = "Concurrent callers per scenario.")
  int callers;

  @Option(names = "--payload", defaultValue = "100", description = "Message and value size, bytes.")
  int payload;

  @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured seconds per scenario.")
  int warmup;

  @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per scenario.")
  int duration;

  @Option(names = "--label", defaultValue = "", description = "First column of the CSV rows.")
  String label;

  @Option(names = "--csv", description = "Append label,scenario,rate rows to this file.")
  Path csv;

  @Override
  public Integer call() throws Exception {
    if (callers < 1 || payload < 1 || warmup < 0 || duration < 1) {
      throw new IllegalArgumentException("--callers, --payload and --duration must be positive");
    }
    ByteString value = ByteString.copyFrom(new byte[payload]);
    Duration warm = Duration.ofSeconds(warmup);
    Duration window = Duration.ofSeconds(duration);
    Map<String, Double> rates = new LinkedHashMap<>();
    try (ComponentSocket connection = new ComponentSocket(socket)) {
      rates.put(
          "publish-pull-ack",
          new PubSubRoundTrip(connection, metadata).run(callers, value, warm, window));
      StateCalls state = new StateCalls(connection, metadata);
      rates.put("state-set", state.sets(callers, value, warm, window));
      rates.put("state-get", state.gets(callers, warm, window));
    }
    StringBuilder rows = new StringBuilder();
    rates.forEach(
        (scenario, rate) -> {
          System.out.printf("%-18s %,10.0f /s%n", scenario, rate);
          rows.append(String.format("%s,%s,%.0f%n", label, scenario, rate));
        });
    if (csv != null) {
      append(csv, rows.toString());
    }
    return 0;
  }

  private static void append(Path file, String rows) throws IOException {
    Files.writeString(
        file, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
