package dev.mqttsidecar.component.console;

import java.util.Map;

/**
 * A request to the console's API, independent of the HTTP server that carried it.
 *
 * @param route the path below {@code /console/api/}, e.g. {@code retained}
 * @param query decoded query parameters (the first value of each)
 * @param access what the requesting identity may read and change
 */
public record ConsoleRequest(
    String method, String route, Map<String, String> query, byte[] body, ConsoleAccess access) {

  /** A required query parameter, or a {@link BadRequest} naming it. */
  String required(String name) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      throw new BadRequest("query parameter '" + name + "' is required");
    }
    return v;
  }

  String optional(String name, String otherwise) {
    return query.getOrDefault(name, otherwise);
  }

  /** An optional whole-number parameter; a malformed one is a {@link BadRequest}. */
  long number(String name, long otherwise) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadRequest("query parameter '" + name + "' must be a whole number, was " + v);
    }
  }
}
