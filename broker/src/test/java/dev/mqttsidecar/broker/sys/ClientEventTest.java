package dev.mqttsidecar.broker.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The JSON form of a life-cycle event. */
class ClientEventTest {
  private static final Instant T = Instant.parse("2026-11-22T02:10:00Z");

  @Test
  void connectEventHasNoReason() {
    assertThat(new ClientEvent("dev-1", null, 5, "10.0.0.7:51234", T, null).toJson())
        .isEqualTo(
            "{\"clientId\":\"dev-1\",\"username\":null,\"protocolVersion\":5,"
                + "\"remoteAddress\":\"10.0.0.7:51234\",\"time\":\"2026-11-22T02:10:00Z\"}");
  }

  @Test
  void stringsAreEscaped() {
    String json =
        new ClientEvent("a\"b\\c", "line\nbreak\u0001", 4, "x", T, "keep alive timeout").toJson();
    assertThat(json)
        .contains("\"clientId\":\"a\\\"b\\\\c\"")
        .contains("\"username\":\"line\\nbreak\\u0001\"")
        .endsWith(",\"reason\":\"keep alive timeout\"}");
  }
}
