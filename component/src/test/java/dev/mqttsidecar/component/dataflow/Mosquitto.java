package dev.mqttsidecar.component.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.testing.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto started on free loopback ports with a generated configuration: a plain
 * listener with a password file (user {@code edge}, password {@link #PASSWORD}) and a TLS listener
 * with a certificate of {@link TestPki}. Persistent, so stop and start again keep its sessions.
 */
public final class Mosquitto implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/sbin/mosquitto");
  public static final String USER = "edge";
  public static final String PASSWORD = "s3cret-edge";

  private final Path dir;
  private final Path config;
  public final int port;
  public final int tlsPort;
  private Process process;

  private Mosquitto(Path dir, int port, int tlsPort, Path config) {
    this.dir = dir;
    this.port = port;
    this.tlsPort = tlsPort;
    this.config = config;
  }

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  public static Mosquitto start(Path dir, TestPki pki) throws Exception {
    Path passwd = dir.resolve("mosquitto.passwd");
    Process p =
        new ProcessBuilder("mosquitto_passwd", "-c", "-b", passwd.toString(), USER, PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    int port = LoopbackPorts.free();
    int tlsPort = LoopbackPorts.free();
    Path config = dir.resolve("mosquitto.conf");
    Files.createDirectories(dir.resolve("store"));
    Files.writeString(
        config,
        String.join(
            "\n",
            "per_listener_settings false",
            // Started as root it would switch to user mosquitto, who cannot read the temp folder.
            "user " + System.getProperty("user.name"),
            "allow_anonymous false",
            "password_file " + passwd,
            "persistence true",
            "persistence_location " + dir.resolve("store") + "/",
            // Unbounded queues for offline persistent sessions: tests count every message.
            "max_queued_messages 0",
            "log_dest file " + dir.resolve("mosquitto.log"),
            "log_type all",
            "listener " + port + " 127.0.0.1",
            "listener " + tlsPort + " 127.0.0.1",
            "certfile " + pki.server().cert(),
            "keyfile " + pki.server().key(),
            ""));
    Mosquitto mosquitto = new Mosquitto(dir, port, tlsPort, config);
    mosquitto.start();
    return mosquitto;
  }

  void start() throws Exception {
    process =
        new ProcessBuilder(BINARY.toString(), "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.out").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              assertThat(process.isAlive()).as("mosquitto running; see " + dir).isTrue();
              return LoopbackPorts.accepts(port) && LoopbackPorts.accepts(tlsPort);
            });
  }

  /** SIGTERM, as a service stop: Mosquitto writes its sessions to the store. */
  void stop() throws Exception {
    process.destroy();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
  }
}
