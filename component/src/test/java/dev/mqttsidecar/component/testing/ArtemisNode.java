package dev.mqttsidecar.component.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  private final int mqttPort;
  private final BrokerProcess process;

  ArtemisNode(String name, Path dir, int mqttPort, int clusterPort, List<Integer> peers) {
    this.mqttPort = mqttPort;
    List<String> args = new ArrayList<>(List.of("-jar", JAR.toAbsolutePath().toString()));
    args.addAll(List.of("--name", name, "--dir", dir.toString()));
    args.addAll(List.of("--mqtt-port", Integer.toString(mqttPort)));
    args.addAll(List.of("--cluster-port", Integer.toString(clusterPort)));
    args.add("--peers");
    args.add(peers.stream().map(String::valueOf).collect(Collectors.joining(",")));
    this.process = new BrokerProcess(name, dir, mqttPort, args);
  }

  public int mqttPort() {
    return mqttPort;
  }

  /** Starts the process and waits until its MQTT listener accepts connections. */
  public void start() throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath().normalize()
              + " is missing: build it first (mvn package -pl brokers/artemis-launcher)");
    }
    process.start();
  }

  /** Waits until this node counts {@code members} nodes in its cluster. */
  public void awaitMembers(int members) {
    process.awaitOutput(
        lines -> {
          List<String> counts = lines.stream().filter(l -> l.startsWith(MEMBERS_LINE)).toList();
          return !counts.isEmpty() && counts.get(counts.size() - 1).equals(MEMBERS_LINE + members);
        });
  }

  /** kill -9: no shutdown hook runs, the journal is left as the crash left it. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /** SIGTERM: Artemis stops in order. */
  public void stop() throws InterruptedException {
    process.stop();
  }

  public String output() {
    return process.output();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
