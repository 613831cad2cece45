package dev.mqttsidecar.component.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A third-party broker's launcher (a Java main class) as a separate process whose output goes to a
 * file in its folder, one file per start, so waiting for a line never finds one of a previous run.
 * Ready when it prints {@code MQTT broker listening on 127.0.0.1:PORT} and accepts there.
 */
final class BrokerProcess implements AutoCloseable {
  private final String name;
  private final Path dir;
  private final List<String> javaArgs;
  private final int mqttPort;
  private Process process;
  private Path output;
  private int starts;

  /** {@code javaArgs}: what follows {@code java}, for example {@code -jar launcher.jar ...}. */
  BrokerProcess(String name, Path dir, int mqttPort, List<String> javaArgs) {
    this.name = name;
    this.dir = dir;
    this.mqttPort = mqttPort;
    this.javaArgs = List.copyOf(javaArgs);
  }

  void start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(javaArgs);
    output = dir.resolve(name + "-output-" + ++starts + ".log");
    process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    String ready = "MQTT broker listening on 127.0.0.1:" + mqttPort;
    awaitOutput(lines -> lines.contains(ready) && LoopbackPorts.accepts(mqttPort));
  }

  /** Waits until the output of this run satisfies {@code condition}; fails if the process ends. */
  void awaitOutput(Predicate<List<String>> condition) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              assertThat(process.isAlive()).as("%s running; output:%n%s", name, output()).isTrue();
              return condition.test(lines());
            });
  }

  /** kill -9: no shutdown hook runs; the broker's files stay as the crash left them. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** SIGTERM: the broker stops in order. */
  void stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  String output() {
    return String.join("\n", lines());
  }

  private List<String> lines() {
    try {
      return output == null ? List.of() : Files.readAllLines(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
