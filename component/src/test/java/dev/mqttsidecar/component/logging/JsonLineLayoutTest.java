package dev.mqttsidecar.component.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Each event is one line holding one JSON object, whatever its message and exception hold. */
class JsonLineLayoutTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final JsonLineLayout layout = new JsonLineLayout();

  JsonLineLayoutTest() {
    layout.setContext(context);
    layout.start();
  }

  private LoggingEvent event(String message, Throwable thrown, Object... args) {
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            context.getLogger("dev.mqttsidecar.Example"),
            Level.WARN,
            message,
            thrown,
            args);
    event.setThreadName("worker \"1\"");
    event.setTimeStamp(Instant.parse("2026-03-01T12:34:56.789Z").toEpochMilli());
    return event;
  }

  private static JsonNode parseOneLine(String text) throws IOException {
    assertThat(text).endsWith("\n");
    assertThat(text.substring(0, text.length() - 1)).doesNotContain("\n", "\r");
    return new ObjectMapper().readTree(text);
  }

  @Test
  void theFieldsCollectorsReadWithAnIsoUtcTimestamp() throws Exception {
    JsonNode line = parseOneLine(layout.doLayout(event("client {} connected", null, "c1")));

    assertThat(line.get("timestamp").asText()).isEqualTo("2026-03-01T12:34:56.789Z");
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("logger").asText()).isEqualTo("dev.mqttsidecar.Example");
    assertThat(line.get("thread").asText()).isEqualTo("worker \"1\"");
    assertThat(line.get("message").asText()).isEqualTo("client c1 connected");
    assertThat(line.has("mdc")).isFalse();
    assertThat(line.has("exception")).isFalse();
  }

  @Test
  void anExceptionIsItsStackTraceAsOneStringAndNewlinesStayInsideTheLine() throws Exception {
    IllegalStateException thrown =
        new IllegalStateException("two\nlines", new java.io.IOException("disk \u00e9"));
    LoggingEvent event = event("payload was:\n\u0001\u2603", thrown);
    event.setMDCPropertyMap(Map.of("clientId", "sensor-7"));

    JsonNode line = parseOneLine(layout.doLayout(event));

    assertThat(line.get("message").asText()).isEqualTo("payload was:\n\u0001\u2603");
    assertThat(line.at("/mdc/clientId").asText()).isEqualTo("sensor-7");
    String exception = line.get("exception").asText();
    assertThat(exception)
        .startsWith("java.lang.IllegalStateException: two\nlines")
        .contains("\tat dev.mqttsidecar.component.logging.JsonLineLayoutTest.")
        .contains("Caused by: java.io.IOException: disk \u00e9");
  }
}
