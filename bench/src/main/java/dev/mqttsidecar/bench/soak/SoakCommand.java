package dev.mqttsidecar.bench.soak;

import dev.mqttsidecar.bench.dapr.ComponentSocket;
import dev.mqttsidecar.bench.durable.SidecarUnderTest;
import dev.mqttsidecar.bench.report.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A long run of mixed load at fixed, modest rates against the sidecar program, sampling what the
 * process holds as it goes; exits 1 if a series grows after the warm-up, or a message is lost.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Runs MQTT (QoS 0/1/2, persistent sessions coming and going, retained writes) and Dapr",
      "(Publish + PullMessages, state Set/Get/Delete/TTL over the socket) load at fixed rates",
      "against the sidecar jar, samples heap after GC, RSS, threads, open files and store size,",
      "and judges whether they stay flat. Exit code 1: something grew, or a message was lost."
    })
public final class SoakCommand implements Callable<Integer> {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--jar",
      defaultValue = "component/target/mqtt-sidecar.jar",
      description = "The sidecar jar (default: ${DEFAULT-VALUE}).")
  Path jar;

  @Option(
      names = "--java-options",
      defaultValue = "@config/jvm.options -Xmx256m",
      description = "JVM options of the sidecar (default: ${DEFAULT-VALUE}).")
  String javaOptions;

  @Option(
      names = "--durability",
      defaultValue = "fsync",
      description = "fsync or periodic (default: ${DEFAULT-VALUE}).")
  String durability;

  @Option(
      names = "--duration",
      defaultValue = "60m",
      converter = DurationConverter.class,
      description = "How long the load runs: 90s, 2m, 1h (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--sample-every",
      defaultValue = "1m",
      converter = DurationConverter.class,
      description = "Sampling interval (default: ${DEFAULT-VALUE}).")
  Duration sampleEvery;

  @Option(names = "--out", description = "Folder for soak.csv, soak.md, soak.gp (required).")
  Path out;

  @Option(
      names = "--judge",
      paramLabel = "CSV",
      description = {
        "Judge the series of an earlier run's soak.csv with these rules, print the verdict and",
        "exit (no load; that run's losses are in its soak.md)."
      })
  Path judge;

  @Override
  public Integer call() throws Exception {
    if (judge != null) {
      return judgeCsv();
    }
    if (out == null) {
      throw new IllegalArgumentException("--out is required");
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " is missing: build it with mvn package");
    }
    Files.createDirectories(out);
    String title =
        String.format(
            Locale.ROOT,
            "Soak of the sidecar, %s min, --durability %s, %s (%s, %d CPUs)",
            Csv.num(Math.round(duration.toSeconds() / 6.0) / 10.0),
            durability,
            javaOptions,
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            Runtime.getRuntime().availableProcessors());
    SoakReport report = new SoakReport(out, title);
    Path folder = Files.createTempDirectory("mqtt-soak");
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "soak-scheduler");
              t.setDaemon(true);
              return t;
            });
    try {
      Path data = folder.resolve("data");
      try (SidecarUnderTest sidecar =
          SidecarUnderTest.start(
              jar.toAbsolutePath(), javaOptions, folder, data, durability, READY_TIMEOUT)) {
        try {
          return run(sidecar, folder, data, scheduler, report);
        } finally {
          Files.writeString(out.resolve("sidecar.log"), sidecar.output());
        }
      }
    } finally {
      scheduler.shutdownNow();
      delete(folder);
    }
  }

  private int run(
      SidecarUnderTest sidecar,
      Path folder,
      Path data,
      ScheduledExecutorService scheduler,
      SoakReport report)
      throws Exception {
    ProcessProbe probe = new ProcessProbe(sidecar.pid(), data);
    List<Sample> samples = new ArrayList<>();
    List<Ledger> ledgers = new ArrayList<>();
    try (ComponentSocket socket = new ComponentSocket(sidecar.socket(folder));
        MqttLoad mqtt = new MqttLoad(sidecar.mqttPort(), scheduler)) {
      DaprPubSubLoad pubsub = new DaprPubSubLoad(socket, scheduler);
      DaprStateLoad state = new DaprStateLoad(socket, scheduler);
      mqtt.start();
      pubsub.start(Duration.ofSeconds(30));
      state.start();
      ledgers.addAll(mqtt.ledgers());
      ledgers.add(pubsub.ledger());
      ledgers.add(state.ledger());
      System.out.printf(
          "soak: %s of load against pid %d, a sample every %s; files in %s%n",
          duration, sidecar.pid(), sampleEvery, out);
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      for (int k = 0; ; k++) {
        long at = Math.min(start + k * sampleEvery.toNanos(), end);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, at - System.nanoTime()));
        if (!sidecar.isAlive()) {
          throw new IllegalStateException("the sidecar exited during the soak");
        }
        Sample s =
            Sample.of(
                (System.nanoTime() - start) / 1e9,
                probe.sample(),
                ledgers,
                mqtt.sessionConnections(),
                state.calls());
        samples.add(s);
        System.out.println("soak: " + s.csv());
        report.writeCsv(samples);
        report.writeMarkdown(samples, ledgers, null);
        if (at == end) {
          break;
        }
      }
      long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
      mqtt.finish(DRAIN_TIMEOUT);
      pubsub.finish(deadline);
      state.finish(deadline);
      pubsub.close();
      ledgers.clear(); // the MQTT load added its retained read-back
      ledgers.addAll(mqtt.ledgers());
      ledgers.add(pubsub.ledger());
      ledgers.add(state.ledger());
    }
    long lost = ledgers.stream().mapToLong(Ledger::missing).sum();
    long errors = ledgers.stream().mapToLong(Ledger::errors).sum();
    FlatnessVerdict.Verdict verdict = FlatnessVerdict.judge(samples, lost, errors);
    report.writeMarkdown(samples, ledgers, verdict);
    boolean plotted = report.plot();
    System.out.print(Files.readString(out.resolve("soak.md")));
    System.out.printf(
        "%nsoak: %s%s%n",
        verdict.passed() ? "flat, nothing lost" : "FAILED",
        plotted ? "" : " (no gnuplot: render soak.gp yourself)");
    return verdict.passed() ? 0 : 1;
  }

  private int judgeCsv() throws java.io.IOException {
    List<Sample> samples =
        Files.readAllLines(judge).stream()
            .skip(1)
            .filter(l -> !l.isBlank())
            .map(Sample::parse)
            .toList();
    List<FlatnessVerdict.Check> checks = FlatnessVerdict.series(samples);
    boolean flat = checks.stream().allMatch(FlatnessVerdict.Check::passed);
    StringBuilder b =
        new StringBuilder("Series of ")
            .append(judge)
            .append(": **")
            .append(flat ? "flat" : "NOT flat")
            .append("**\n\n")
            .append(SoakReport.checksTable(checks));
    System.out.print(b);
    return flat ? 0 : 1;
  }

  private static void delete(Path root) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
