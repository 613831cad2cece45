package dev.mqttsidecar.component.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The state editor's body: the value as text, its content type and an optional TTL in seconds. */
public record StateForm(String value, String contentType, Long ttlSeconds) {

  byte[] valueBytes() {
    return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
  }

  Duration ttl() {
    if (ttlSeconds == null) {
      return null;
    }
    if (ttlSeconds < 1) {
      throw new BadRequest("ttlSeconds must be at least 1, was " + ttlSeconds);
    }
    return Duration.ofSeconds(ttlSeconds);
  }
}
