package dev.mqttsidecar.state.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.OptionalInt;

/** Equality and order of JSON values as the query language uses them. */
final class JsonValues {

  /**
   * A total order for sorting: numbers, then strings, then booleans, then anything else (by its
   * JSON text), then missing values (null).
   */
  static final Comparator<JsonNode> SORT_ORDER = JsonValues::sortCompare;

  private JsonValues() {}

  /** Equal values: numbers compare by value (1 equals 1.0), everything else structurally. */
  static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return false;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** The order of two numbers or two strings; empty when they are not comparable. */
  static OptionalInt compare(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return OptionalInt.empty();
    }
    if (a.isNumber() && b.isNumber()) {
      return OptionalInt.of(a.decimalValue().compareTo(b.decimalValue()));
    }
    if (a.isTextual() && b.isTextual()) {
      return OptionalInt.of(a.textValue().compareTo(b.textValue()));
    }
    return OptionalInt.empty();
  }

  private static int sortCompare(JsonNode a, JsonNode b) {
    int byRank = Integer.compare(rank(a), rank(b));
    if (byRank != 0 || a == null) {
      return byRank;
    }
    if (a.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    if (a.isTextual()) {
      return a.textValue().compareTo(b.textValue());
    }
    if (a.isBoolean()) {
      return Boolean.compare(a.booleanValue(), b.booleanValue());
    }
    return a.toString().compareTo(b.toString());
  }

  private static int rank(JsonNode node) {
    if (node == null) {
      return 4;
    }
    if (node.isNumber()) {
      return 0;
    }
    if (node.isTextual()) {
      return 1;
    }
    return node.isBoolean() ? 2 : 3;
  }
}
