package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}: every line the sidecar process writes is one JSON object. */
class JsonLogsIT {
  private static final Duration EXIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir Path folder;

  @Test
  void aWholeRunFromStartToStopLogsOneJsonObjectPerLine() throws Exception {
    String output;
    try (SidecarProcess sidecar =
        SidecarProcess.start(folder, "json", "--log-format", "json", "--durability", "memory")) {
      Mqtt5BlockingClient device = sidecar.mqtt5Client("device");
      device.connect();
      device.disconnect();
      sidecar.terminate();
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(143);
      output = sidecar.output();
    }

    List<JsonNode> lines = parseEveryLine(output);
    assertThat(lines)
        .extracting(line -> line.get("message").asText())
        .anyMatch(message -> message.startsWith("MQTT broker listening on 127.0.0.1:"))
        .anyMatch(message -> message.startsWith("Stopped; removed "));
    for (JsonNode line : lines) {
      Instant.parse(line.get("timestamp").asText()); // ISO-8601, UTC
      assertThat(line.get("timestamp").asText()).endsWith("Z");
      assertThat(line.get("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(line.get("logger").asText()).isNotBlank();
      assertThat(line.get("thread").asText()).isNotBlank();
    }
  }

  @Test
  void anExceptionIsOneLineWithItsStackTraceAsAString() throws Exception {
    // A data directory under a regular file: the start fails with an I/O exception, logged with
    // its stack trace at DEBUG; the one-line reason goes to stderr as always.
    Path file = Files.createFile(folder.resolve("a-file"));
    String output;
    try (SidecarProcess sidecar =
        SidecarProcess.launch(
            List.of(
                "--socket-folder", folder.resolve("sockets").toString(),
                "--mqtt-port", "0",
                "--log-format", "json",
                "--log-level", "DEBUG",
                "--data-dir", file.resolve("data").toString()))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(1);
      output = sidecar.output();
    }

    // Standard error is merged into the output file: its one line is the only one not JSON.
    String stderr = "mqtt-sidecar: " + file.resolve("data") + ": Not a directory";
    List<String> logLines = new ArrayList<>(output.lines().toList());
    assertThat(logLines.remove(stderr)).as("stderr line in:\n%s", output).isTrue();
    List<JsonNode> lines = parseEveryLine(String.join("\n", logLines));
    JsonNode failure =
        lines.stream().filter(line -> line.has("exception")).findFirst().orElseThrow();
    assertThat(failure.get("level").asText()).isEqualTo("DEBUG");
    assertThat(failure.get("message").asText()).isEqualTo("startup failed");
    assertThat(failure.get("exception").asText())
        .startsWith("java.nio.file.FileSystemException: " + file.resolve("data"))
        .containsPattern(Pattern.compile("\n\tat dev\\.mqttsidecar\\.component\\.Sidecar\\.start"));
  }

  private static List<JsonNode> parseEveryLine(String output) throws Exception {
    List<JsonNode> result = new ArrayList<>();
    for (String line : output.lines().toList()) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
      result.add(node);
    }
    assertThat(result).isNotEmpty();
    return result;
  }
}
