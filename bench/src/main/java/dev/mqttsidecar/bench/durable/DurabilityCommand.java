package dev.mqttsidecar.bench.durable;

import com.google.protobuf.ByteString;
import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttPipeline;
import dev.mqttsidecar.bench.mqtt.Transport;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Durable writes and restart time of the sidecar program: retained QoS 1 publishes and Dapr state
 * {@code Set} calls at 1, 16 and 64 concurrent writers, each write acknowledged only once it is on
 * disk; then the time a restart takes on a store of 1,000,000 retained messages.
 */
@Command(
    name = "durability",
    mixinStandardHelpOptions = true,
    description = {
      "Durable write throughput (retained QoS 1 publishes, Dapr state Set over the socket) at",
      "several concurrent writers, and restart time on a large store, against the sidecar jar."
    })
public final class DurabilityCommand implements java.util.concurrent.Callable<Integer> {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
  private static final int KEYS_PER_WRITER = 1000;
  private static final int FILL_CONNECTIONS = 8;
  private static final int FILL_WINDOW = 512;

  @Option(
      names = "--jar",
      defaultValue = "component/target/mqtt-sidecar.jar",
      description = "The sidecar jar (default: ${DEFAULT-VALUE}).")
  Path jar;

  @Option(
      names = "--java-options",
      defaultValue = "-Xmx1g",
      description = "JVM options of the sidecar (default: ${DEFAULT-VALUE}).")
  String javaOptions;

  @Option(
      names = "--durability",
      defaultValue = "fsync",
      description = "fsync or periodic (default: ${DEFAULT-VALUE}).")
  String durability;

  @Option(
      names = "--writers",
      split = ",",
      defaultValue = "1,16,64",
      description = "Concurrent writers per row (default: ${DEFAULT-VALUE}).")
  List<Integer> writers;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "Measured seconds per row (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description = "Unrecorded seconds before the rows (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--payload",
      defaultValue = "100",
      description = "Bytes per message or value, at least 20 (default: ${DEFAULT-VALUE}).")
  int payload;

  @Option(
      names = "--retained",
      defaultValue = "1000000",
      description =
          "Retained messages in the store for the restart (0 skips it; default: ${DEFAULT-VALUE}).")
  int retained;

  @Option(names = "--out", description = "Also write the markdown report to this file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " is missing: build it with mvn package");
    }
    Path folder = Files.createTempDirectory("mqtt-durability-bench");
    List<String> rows = new ArrayList<>();
    try (Transport transport = Transport.create(1)) {
      Path data = folder.resolve("data");
      try (SidecarUnderTest sidecar = start(folder, data)) {
        measureWrites(transport, folder, sidecar, rows);
      }
      if (retained > 0) {
        measureRestart(transport, folder, rows);
      }
    } finally {
      delete(folder);
    }
    String report =
        String.format(
            "Durable writes and restart of the sidecar (--durability %s, %d-byte values, %d s per"
                + " row, %d CPUs, %s)%n%n| what | writers | writes/s or time | vs 1 writer |%n"
                + "|---|---:|---:|---:|%n%s%n",
            durability,
            payload,
            seconds,
            Runtime.getRuntime().availableProcessors(),
            Instant.now(),
            String.join("\n", rows));
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report);
    }
    return 0;
  }

  private SidecarUnderTest start(Path folder, Path data) throws IOException, InterruptedException {
    return SidecarUnderTest.start(
        jar.toAbsolutePath(), javaOptions, folder, data, durability, READY_TIMEOUT);
  }

  private void measureWrites(
      Transport transport, Path folder, SidecarUnderTest sidecar, List<String> rows)
      throws Exception {
    publish(transport, sidecar.mqttPort(), 16, TimeUnit.SECONDS.toNanos(warmup)); // JIT warm-up
    double first = 0;
    for (int w : writers) {
      double rate = publish(transport, sidecar.mqttPort(), w, TimeUnit.SECONDS.toNanos(seconds));
      first = first == 0 ? rate : first;
      rows.add(row("retained QoS 1 PUBLISH, PUBACK after fsync", w, rate, first));
    }
    ByteString value = ByteString.copyFrom(new byte[payload]);
    try (StateSetters setters = new StateSetters(sidecar.socket(folder))) {
      setters.run(16, KEYS_PER_WRITER, value, TimeUnit.SECONDS.toNanos(warmup));
      first = 0;
      for (int w : writers) {
        long nanos = TimeUnit.SECONDS.toNanos(seconds);
        double rate = setters.run(w, KEYS_PER_WRITER, value, nanos) / (double) seconds;
        first = first == 0 ? rate : first;
        rows.add(row("Dapr state Set over the socket", w, rate, first));
      }
    }
  }

  private static String row(String what, int writers, double rate, double first) {
    return String.format("| %s | %d | %,.0f /s | %.1fx |", what, writers, rate, rate / first);
  }

  /** {@code count} one-at-a-time writers for {@code nanos}; PUBACKs per second. */
  private double publish(Transport transport, int port, int count, long nanos) throws Exception {
    List<RetainedPublisher> pubs = connect(transport, port, count, 1, Long.MAX_VALUE, "w");
    long start = System.nanoTime();
    pubs.forEach(RetainedPublisher::start);
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos));
    long acked = pubs.stream().mapToLong(RetainedPublisher::acked).sum();
    double rate = acked / ((System.nanoTime() - start) / 1e9);
    finish(pubs);
    return rate;
  }

  private List<RetainedPublisher> connect(
      Transport transport, int port, int count, int window, long limit, String prefix)
      throws Exception {
    List<RetainedPublisher> pubs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ClientSettings settings =
          new ClientSettings(
              "bench-" + prefix + i + "-" + System.nanoTime(), MqttVersion.MQTT_3_1_1, 0, 0);
      int keys = limit == Long.MAX_VALUE ? KEYS_PER_WRITER : (int) limit;
      RetainedPublisher p =
          new RetainedPublisher(
              settings, "bench/" + prefix + i + "/", keys, window, payload, limit);
      MqttPipeline.connect(
          transport.bootstrap(), new InetSocketAddress("127.0.0.1", port), null, p);
      pubs.add(p);
    }
    CompletableFuture.allOf(
            pubs.stream().map(RetainedPublisher::ready).toArray(CompletableFuture[]::new))
        .get(30, TimeUnit.SECONDS);
    return pubs;
  }

  private static void finish(List<RetainedPublisher> pubs) throws Exception {
    pubs.forEach(RetainedPublisher::stop);
    CompletableFuture.allOf(
            pubs.stream().map(RetainedPublisher::finished).toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);
    long refused = pubs.stream().mapToLong(RetainedPublisher::refused).sum();
    if (refused > 0) {
      throw new IllegalStateException(refused + " publishes refused");
    }
  }

  /**
   * Start time on an empty store (the JVM and the program), then a store filled with {@code
   * retained} messages through MQTT, stopped and started again.
   */
  private void measureRestart(Transport transport, Path folder, List<String> rows)
      throws Exception {
    Duration empty;
    try (SidecarUnderTest sidecar = start(folder, folder.resolve("empty"))) {
      empty = sidecar.startupTime();
    }
    Path data = folder.resolve("big");
    long each = (retained + FILL_CONNECTIONS - 1) / FILL_CONNECTIONS;
    long filled = each * FILL_CONNECTIONS;
    long fillStart = System.nanoTime();
    try (SidecarUnderTest sidecar = start(folder, data)) {
      List<RetainedPublisher> pubs =
          connect(transport, sidecar.mqttPort(), FILL_CONNECTIONS, FILL_WINDOW, each, "fill");
      pubs.forEach(RetainedPublisher::start);
      CompletableFuture.allOf(
              pubs.stream().map(RetainedPublisher::finished).toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.MINUTES);
      finish(pubs);
    }
    double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
    try (SidecarUnderTest sidecar = start(folder, data)) {
      Duration full = sidecar.startupTime();
      long restored = sidecar.restoredRetained();
      if (restored != filled) {
        throw new IllegalStateException("filled " + filled + " but restored " + restored);
      }
      rows.add(
          String.format(
              "| restart, empty store: process start until the socket serves | | %,d ms | |",
              empty.toMillis()));
      rows.add(
          String.format(
              "| restart, %,d retained messages (filled in %.0f s): process start until the socket"
                  + " serves | | %,d ms | |",
              retained, fillSeconds, full.toMillis()));
      rows.add(
          String.format(
              "| resident memory after that restart | | %,d MiB | |",
              sidecar.residentBytes() >> 20));
    }
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
