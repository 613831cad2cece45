package dev.mqttsidecar.component.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The console's JSON: records in, records out (times are ISO-8601 text in the records). */
final class ConsoleJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ConsoleJson() {}

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a request body; anything malformed is a {@link BadRequest} that says what is wrong. */
  static <T> T read(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new BadRequest("a JSON body is required");
    }
    try {
      return MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw new BadRequest("malformed JSON body: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
