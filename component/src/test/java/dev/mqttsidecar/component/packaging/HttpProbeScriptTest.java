package dev.mqttsidecar.component.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bin/http-probe, which the image's HEALTHCHECK and the Kubernetes exec probes run, against a real
 * HTTP server on loopback: 200 passes; another status, a closed port or a silent server fails.
 */
class HttpProbeScriptTest {
  private static final Path SCRIPT = DockerfileTest.ROOT.resolve("bin/http-probe");

  private HttpServer server;

  /** The port the script asks when MQTT_SIDECAR_HTTP_PORT is not set. */
  static String defaultPort() throws IOException {
    Matcher m = Pattern.compile("MQTT_SIDECAR_HTTP_PORT:-(\\d+)").matcher(Files.readString(SCRIPT));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/healthz", exchange -> answer(exchange, 200, "ok"));
    server.createContext("/readyz", exchange -> answer(exchange, 503, "store not open"));
    server.start();
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private record Result(int exitCode, String stderr) {}

  private static Result probe(int port, String path) throws Exception {
    Path stderr = Files.createTempFile("http-probe", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder("bash", SCRIPT.toString(), path)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(stderr.toFile());
      builder.environment().put("MQTT_SIDECAR_HTTP_PORT", Integer.toString(port));
      Process process = builder.start();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the probe ends by itself").isTrue();
      return new Result(process.exitValue(), Files.readString(stderr));
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  @Test
  void anOkAnswerPasses() throws Exception {
    assertThat(probe(server.getAddress().getPort(), "/healthz").exitCode()).isZero();
  }

  @Test
  void anotherStatusFailsAndIsNamed() throws Exception {
    Result result = probe(server.getAddress().getPort(), "/readyz");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("/readyz answered HTTP/1.1 503");
    assertThat(probe(server.getAddress().getPort(), "/nothing-here").exitCode()).isEqualTo(1);
  }

  @Test
  void aClosedPortFails() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertThat(probe(port, "/healthz").exitCode()).isEqualTo(1);
  }

  @Test
  void aServerThatNeverAnswersFailsWithinItsTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      long start = System.nanoTime();
      Result result = probe(silent.getLocalPort(), "/healthz");
      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.stderr()).contains("no answer");
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
    }
  }
}
