package dev.mqttsidecar.component.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in Debian's headless Chromium, driven by {@code src/test/browser/console.e2e.mjs}
 * (playwright-core): a device's message shows in the live table, the publish form reaches a device,
 * and a state key edited in the page reads back through the Dapr state API. Skipped only where
 * chromium or node is missing; CI installs both. Screenshots land in {@code target/console-e2e/}.
 */
class ConsoleBrowserIT {
  private static final Path BROWSER_TEST = Path.of("src", "test", "browser");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration STEP = Duration.ofSeconds(60);

  @TempDir Path folder;

  @Test
  void aDeviceThePageAndDaprSeeEachOther() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed");
    assumeTrue(onPath("node") && onPath("npm"), "node is not installed");
    installPackages();
    Path screenshots = Files.createDirectories(Path.of("target", "console-e2e"));

    try (InProcessSidecar sidecar = InProcessSidecar.start(folder)) {
      ComponentYaml yaml = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
      sidecar.daprd().initState(yaml);
      StateStoreGrpc.StateStoreBlockingStub state = sidecar.daprd().state(yaml.name());
      state.set(
          State.SetRequest.newBuilder()
              .setKey("e2e||order")
              .setValue(ByteString.copyFromUtf8("{\"n\":1}"))
              .build());
      Mqtt5BlockingClient device =
          Mqtt5Client.builder()
              .identifier("e2e-device")
              .serverHost("127.0.0.1")
              .serverPort(sidecar.mqttPort())
              .buildBlocking();
      device.connect();
      Mqtt5BlockingClient.Mqtt5Publishes commands = device.publishes(MqttGlobalPublishFilter.ALL);
      device.subscribeWith().topicFilter("e2e/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();

      ProcessBuilder node =
          new ProcessBuilder("node", "console.e2e.mjs")
              .directory(BROWSER_TEST.toFile())
              .redirectErrorStream(true);
      node.environment().put("CONSOLE_URL", sidecar.httpUri().resolve("/console/").toString());
      node.environment().put("STATE_STORE", yaml.name());
      node.environment().put("SCREENSHOTS", screenshots.toAbsolutePath().toString());
      Process process = node.start();
      Script script = new Script(process);
      try {
        script.await("step: watching");
        // The page's live view is subscribed (the device's own subscription is elsewhere).
        sidecar.awaitSubscribers("e2e/device/temp", 1);
        device
            .publishWith()
            .topic("e2e/device/temp")
            .payload("{\"celsius\":21.5}".getBytes(StandardCharsets.UTF_8))
            .qos(MqttQos.AT_LEAST_ONCE)
            .send();
        script.answer();

        script.await("step: published");
        Mqtt5Publish command =
            commands.receive(STEP.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
        assertThat(command.getTopic().toString()).isEqualTo("e2e/commands/valve");
        assertThat(new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("open");
        assertThat(command.getContentType().orElseThrow().toString()).isEqualTo("text/plain");
        script.answer();

        script.await("step: state-edited");
        State.GetResponse got =
            state.get(State.GetRequest.newBuilder().setKey("e2e||order").build());
        assertThat(got.getData().toStringUtf8()).isEqualTo("{\"n\":2}");
        script.answer();

        assertThat(process.waitFor(STEP.toSeconds(), TimeUnit.SECONDS))
            .as("node ends: %s", script.output())
            .isTrue();
        assertThat(process.exitValue()).as(script.output()).isZero();
        assertThat(script.output()).contains("e2e: ok").doesNotContain("page error");
      } finally {
        process.destroyForcibly();
        device.disconnect();
      }
    }
    assertThat(screenshots.resolve("console-live.png")).isNotEmptyFile();
  }

  /** The script's output, read on a thread of its own so a wait can have a deadline. */
  private static final class Script {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Writer stdin;

    Script(Process process) {
      this.stdin = process.outputWriter(StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  r.lines().forEach(lines::add);
                } catch (IOException | java.io.UncheckedIOException ended) {
                  // the process ended
                }
              },
              "console-e2e-output");
      reader.setDaemon(true);
      reader.start();
    }

    void await(String expected) throws InterruptedException {
      long deadline = System.nanoTime() + STEP.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          break;
        }
        synchronized (seen) {
          seen.add(line);
        }
        if (line.equals(expected)) {
          return;
        }
        if (line.startsWith("e2e: failed")) {
          drain();
          throw new AssertionError("the browser script failed:\n" + output());
        }
      }
      drain();
      throw new AssertionError("no '" + expected + "' within " + STEP + ":\n" + output());
    }

    void answer() throws IOException {
      stdin.write("ok\n");
      stdin.flush();
    }

    String output() {
      drain();
      synchronized (seen) {
        return String.join("\n", seen);
      }
    }

    private void drain() {
      synchronized (seen) {
        lines.drainTo(seen);
      }
    }
  }

  /** npm ci, once, when node_modules is missing (CI's fresh clone). */
  private static void installPackages() throws Exception {
    if (Files.isDirectory(BROWSER_TEST.resolve("node_modules").resolve("playwright-core"))) {
      return;
    }
    Path log = Files.createTempFile("npm-ci", ".log");
    ProcessBuilder npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(BROWSER_TEST.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    Process p = npm.start();
    try {
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("npm ci finishes").isTrue();
      assertThat(p.exitValue()).as("npm ci: %s", Files.readString(log)).isZero();
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
