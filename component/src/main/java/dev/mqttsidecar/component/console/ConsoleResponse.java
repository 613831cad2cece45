package dev.mqttsidecar.component.console;

import java.nio.charset.StandardCharsets;

/** An answer of the console's API: status, content type and body. */
public record ConsoleResponse(int status, String contentType, byte[] body) {
  static final String JSON = "application/json; charset=utf-8";

  /** A JSON error body {@code {"error": message}} with {@code status}. */
  static ConsoleResponse error(int status, String message) {
    return new ConsoleResponse(status, JSON, ConsoleJson.write(java.util.Map.of("error", message)));
  }

  static ConsoleResponse json(Object value) {
    return new ConsoleResponse(200, JSON, ConsoleJson.write(value));
  }

  /** The body as text, for tests and logs. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
