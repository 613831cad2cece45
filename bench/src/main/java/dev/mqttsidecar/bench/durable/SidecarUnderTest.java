package dev.mqttsidecar.bench.durable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sidecar program as a separate process on a data directory, with its socket in {@code folder}
 * and a free MQTT port; ready once it printed that its socket serves (the last step of its start,
 * after the store is restored).
 */
public final class SidecarUnderTest implements AutoCloseable {
  public static final String NAME = "bench";
  private static final Pattern MQTT_LINE = Pattern.compile("MQTT broker listening on \\S+:(\\d+)");
  private static final Pattern SOCKET_LINE = Pattern.compile("socket listening on ");
  private static final Pattern RESTORED_LINE = Pattern.compile("restored (\\d+) retained messages");

  private final Process process;
  private final Path log;
  private final long readyNanos;
  private final int mqttPort;

  private SidecarUnderTest(Process process, Path log, long readyNanos, int mqttPort) {
    this.process = process;
    this.log = log;
    this.readyNanos = readyNanos;
    this.mqttPort = mqttPort;
  }

  /** Starts the jar and waits (at most {@code timeout}) until it serves. */
  public static SidecarUnderTest start(
      Path jar, String javaOptions, Path folder, Path data, String durability, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : javaOptions.trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--socket-folder",
            folder.toString(),
            "--name",
            NAME,
            "--mqtt-host",
            "127.0.0.1",
            "--mqtt-port",
            "0",
            "--data-dir",
            data.toString(),
            "--durability",
            durability,
            "--sys-interval",
            "0",
            "--http-port",
            "0"));
    Path log = Files.createTempFile(folder, "sidecar-", ".log");
    long started = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = started + timeout.toNanos();
    Integer port = null;
    while (true) {
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = MQTT_LINE.matcher(output);
      if (port == null && m.find()) {
        port = Integer.parseInt(m.group(1));
      }
      if (port != null && SOCKET_LINE.matcher(output).find()) {
        return new SidecarUnderTest(process, log, System.nanoTime() - started, port);
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("the sidecar did not get ready; its output:\n" + output);
      }
      Thread.sleep(5);
    }
  }

  /** From process start until its socket served. */
  Duration startupTime() {
    return Duration.ofNanos(readyNanos);
  }

  public int mqttPort() {
    return mqttPort;
  }

  public Path socket(Path folder) {
    return folder.resolve(NAME + ".sock");
  }

  /** The sidecar's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** What the sidecar printed so far. */
  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** How many retained messages the start restored, as the program printed it. */
  long restoredRetained() throws IOException {
    Matcher m = RESTORED_LINE.matcher(Files.readString(log, StandardCharsets.UTF_8));
    if (!m.find()) {
      throw new IllegalStateException("the sidecar printed no restore line");
    }
    return Long.parseLong(m.group(1));
  }

  /** The process's resident memory (VmRSS), or -1 if unknown. */
  long residentBytes() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** SIGTERM, then waits for the exit (the store is flushed and closed on the way). */
  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(log);
  }
}
