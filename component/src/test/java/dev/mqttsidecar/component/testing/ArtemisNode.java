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
import java.util.stream.Collectors;

/**
 * One Apache ActiveMQ Artemis node (brokers/artemis-launcher) as a separate process: MQTT and
 * cluster ports on loopback, journal in its own folder, so a restart finds what a kill left.
 */
public final class ArtemisNode implements AutoCloseable {
  /** The launcher jar, relative to the component module (the tests' working directory). */
  public static final Path JAR =
      Path.of("..", "brokers", "artemis-launcher", "target", "artemis-launcher.jar");

  private static final String MEMBERS_LINE = "cluster members: ";

  private final String name;
  private final Path dir;
  private final int mqttPort;
  private final int clusterPort;
  private final List<Integer> peers;
  private Process process;
  private Path output;
  private int starts;

  ArtemisNode(String name, Path dir, int mqttPort, int clusterPort, List<Integer> peers) {
    this.name = name;
    this.dir = dir;
    this.mqttPort = mqttPort;
    this.clusterPort = clusterPort;
    this.peers = List.copyOf(peers);
  }

  public int mqttPort() {
    return mqttPort;
  }

  int clusterPort() {
    return clusterPort;
  }

  /** Starts the process and waits until its MQTT listener accepts connections. */
  public void start() throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath().normalize()
              + " is missing: build it first (mvn package -pl brokers/artemis-launcher)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of("--name", name, "--dir", dir.toString()));
    command.addAll(List.of("--mqtt-port", Integer.toString(mqttPort)));
    command.addAll(List.of("--cluster-port", Integer.toString(clusterPort)));
    command.add("--peers");
    command.add(peers.stream().map(String::valueOf).collect(Collectors.joining(",")));
    // A file per start, so that waiting for a line never finds one of the previous run.
    output = dir.resolve("output-" + ++starts + ".log");
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              assertThat(process.isAlive()).as("%s running; output:%n%s", name, output()).isTrue();
              return lines().contains("MQTT broker listening on 127.0.0.1:" + mqttPort)
                  && LoopbackPorts.accepts(mqttPort);
            });
  }

  /** Waits until this node counts {@code members} nodes in its cluster. */
  public void awaitMembers(int members) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              assertThat(process.isAlive()).as("%s running; output:%n%s", name, output()).isTrue();
              List<String> counts =
                  lines().stream().filter(l -> l.startsWith(MEMBERS_LINE)).toList();
              return !counts.isEmpty()
                  && counts.get(counts.size() - 1).equals(MEMBERS_LINE + members);
            });
  }

  /** kill -9: no shutdown hook runs, the journal is left as the crash left it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** SIGTERM: Artemis stops in order. */
  public void stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  public String output() {
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
