package dev.mqttsidecar.component.testing;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.component.Sidecar;
import dev.mqttsidecar.component.config.SidecarSettings;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.socket.SocketPath;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The sidecar started inside the test JVM on a real Unix socket and a free MQTT port, with a {@link
 * FakeDaprd} connected to it. Faster than {@link SidecarProcess}; use that one where the process
 * itself matters (exit codes, signals, kill -9).
 */
public final class InProcessSidecar implements AutoCloseable {
  private final Sidecar sidecar;
  private final FakeDaprd daprd;
  private final Path socket;

  private InProcessSidecar(Sidecar sidecar, Path socket) {
    this.sidecar = sidecar;
    this.socket = socket;
    this.daprd = new FakeDaprd(socket);
  }

  /** Starts on {@code folder/mqtt-sidecar.sock} with default broker settings on a free port. */
  public static InProcessSidecar start(Path folder) throws Exception {
    return start(folder, BrokerConfig.builder().port(0).build());
  }

  /**
   * Starts on {@code folder/mqtt-sidecar.sock} with {@code brokerConfig}. Unless the test chose a
   * data directory the broker keeps everything in memory, so no test writes into the working
   * directory.
   */
  public static InProcessSidecar start(Path folder, BrokerConfig brokerConfig) throws Exception {
    return start(folder, brokerConfig, HttpSettings.anyFreePort());
  }

  /** As {@link #start(Path, BrokerConfig)}, with an HTTP server as {@code http} says. */
  public static InProcessSidecar start(Path folder, BrokerConfig brokerConfig, HttpSettings http)
      throws Exception {
    if (brokerConfig.dataDirectory().equals(BrokerConfig.DEFAULT_DATA_DIRECTORY)) {
      brokerConfig = brokerConfig.toBuilder().durability(Durability.MEMORY).build();
    }
    SocketPath path = new SocketPath(folder, "mqtt-sidecar");
    Sidecar sidecar =
        new Sidecar(SidecarSettings.of(path, brokerConfig, Duration.ofSeconds(2)).withHttp(http));
    sidecar.start();
    return new InProcessSidecar(sidecar, path.socket());
  }

  public FakeDaprd daprd() {
    return daprd;
  }

  public Sidecar sidecar() {
    return sidecar;
  }

  public Path socket() {
    return socket;
  }

  /** The MQTT port devices connect to. */
  public int mqttPort() {
    return sidecar.broker().mqttAddress().getPort();
  }

  /** The base URL of the HTTP server, such as {@code http://127.0.0.1:34567}. */
  public java.net.URI httpUri() {
    return java.net.URI.create("http://127.0.0.1:" + sidecar.httpAddress().getPort());
  }

  /**
   * Waits until exactly {@code count} subscribers are connected on the MQTT topic {@code topic}
   * (the Dapr topic after any topicPrefix): a PullMessages stream counts once its broker
   * subscription is in place, and no longer once it has closed.
   */
  public void awaitSubscribers(String topic, int count) {
    BrokerFixture.awaitSubscribers(sidecar.broker(), topic, count);
  }

  @Override
  public void close() throws Exception {
    daprd.close();
    sidecar.close();
  }
}
