package dev.mqttsidecar.component.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HiveMQ Community Edition (embedded, bench/brokers/hivemq) as a separate process on a free
 * loopback port, with file persistence in {@code dir}, so a restart keeps its sessions.
 */
public final class HiveMq implements AutoCloseable {
  /** The launcher's build output, relative to the component module (the tests' working dir). */
  public static final Path LAUNCHER = Path.of("..", "bench", "brokers", "hivemq", "target");

  private final int mqttPort;
  private final BrokerProcess process;

  private HiveMq(Path dir, int mqttPort) {
    this.mqttPort = mqttPort;
    String classPath =
        LAUNCHER.resolve("classes").toAbsolutePath()
            + ":"
            + LAUNCHER.resolve("lib").toAbsolutePath()
            + "/*";
    this.process =
        new BrokerProcess(
            "hivemq",
            dir,
            mqttPort,
            List.of(
                "-cp",
                classPath,
                "dev.mqttsidecar.bench.brokers.HiveMqLauncher",
                "--port",
                Integer.toString(mqttPort),
                "--persistence",
                "on",
                "--dir",
                dir.toString()));
  }

  /** Starts HiveMQ and waits until it accepts MQTT connections. */
  public static HiveMq start(Path dir) throws IOException {
    if (!Files.isDirectory(LAUNCHER.resolve("lib"))) {
      throw new IllegalStateException(
          LAUNCHER.toAbsolutePath().normalize()
              + " is not built: mvn package -pl bench/brokers/hivemq");
    }
    HiveMq hivemq = new HiveMq(dir, LoopbackPorts.free());
    try {
      hivemq.process.start();
    } catch (IOException | RuntimeException | Error e) {
      hivemq.close();
      throw e;
    }
    return hivemq;
  }

  public int mqttPort() {
    return mqttPort;
  }

  /** Starts it again after {@link #stop} or {@link #kill}, on the same port and files. */
  public void restart() throws IOException {
    process.start();
  }

  /** kill -9. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /** SIGTERM: HiveMQ stops in order. */
  public void stop() throws InterruptedException {
    process.stop();
  }

  @Override
  public void close() {
    try {
      process.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
