package dev.mqttsidecar.samples.verify;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The sidecar started by a README's own command, in a temporary sockets folder and data directory
 * and on a free MQTT port (the README's defaults, 1883 and /tmp/dapr-components-sockets, are the
 * machine's, not the test's).
 */
final class SampleSidecar implements AutoCloseable {
  static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

  private final ShellProcess process;
  private final int mqttPort;

  private SampleSidecar(ShellProcess process, int mqttPort) {
    this.process = process;
    this.mqttPort = mqttPort;
  }

  static SampleSidecar start(String readmeCommand, Path temp) throws Exception {
    int port = freePort();
    Path sockets = Files.createDirectories(temp.resolve("sockets"));
    String command =
        readmeCommand
            + " --mqtt-host 127.0.0.1 --mqtt-port "
            + port
            + " --http-port 0 --data-dir "
            + temp.resolve("data");
    ShellProcess process =
        ShellProcess.start(
            command, ROOT, Map.of("DAPR_COMPONENTS_SOCKETS_FOLDER", sockets.toString()), temp);
    SampleSidecar sidecar = new SampleSidecar(process, port);
    Path socket = sockets.resolve("mqtt-sidecar.sock");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .alias("the sidecar serves its socket and MQTT port: " + process.output())
        .until(() -> !process.isAlive() || (Files.exists(socket) && accepts(port)));
    if (!process.isAlive()) {
      throw new AssertionError("'" + command + "' exited: " + process.output());
    }
    return sidecar;
  }

  int mqttPort() {
    return mqttPort;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
