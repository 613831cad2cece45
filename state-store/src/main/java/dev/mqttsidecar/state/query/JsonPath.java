package dev.mqttsidecar.state.query;

import com.fasterxml.jackson.databind.JsonNode;

/** Resolves a dotted path ({@code a.b.0.c}) in a JSON value; numeric segments index arrays. */
final class JsonPath {
  private static final String VALUE_PREFIX = "value.";

  private JsonPath() {}

  /**
   * The node at {@code path}, or null when it does not exist or is JSON null. Some Dapr stores wrap
   * values as {@code {"value": ...}} and their queries say {@code value.x}: when {@code value.x}
   * does not resolve, {@code x} is tried.
   */
  static JsonNode resolve(JsonNode root, String path) {
    JsonNode found = walk(root, path);
    if (found == null && path.startsWith(VALUE_PREFIX)) {
      found = walk(root, path.substring(VALUE_PREFIX.length()));
    }
    return found;
  }

  private static JsonNode walk(JsonNode root, String path) {
    JsonNode node = root;
    int start = 0;
    while (node != null) {
      int dot = path.indexOf('.', start);
      String segment = dot < 0 ? path.substring(start) : path.substring(start, dot);
      node = child(node, segment);
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  private static JsonNode child(JsonNode node, String segment) {
    if (node.isObject()) {
      return node.get(segment);
    }
    if (node.isArray() && !segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
      try {
        return node.get(Integer.parseInt(segment));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
