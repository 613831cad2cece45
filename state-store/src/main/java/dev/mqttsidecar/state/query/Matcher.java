package dev.mqttsidecar.state.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/**
 * Evaluates a {@link Filter} against one JSON value. A path that does not resolve matches no
 * comparison except NEQ (so NEQ is exactly "not EQ").
 */
final class Matcher {
  private Matcher() {}

  static boolean matches(Filter filter, JsonNode doc) {
    if (filter instanceof Filter.And and) {
      return and.operands().stream().allMatch(f -> matches(f, doc));
    }
    if (filter instanceof Filter.Or or) {
      return or.operands().stream().anyMatch(f -> matches(f, doc));
    }
    if (filter instanceof Filter.In in) {
      JsonNode actual = JsonPath.resolve(doc, in.path());
      return in.values().stream().anyMatch(v -> JsonValues.equal(actual, v));
    }
    Filter.Compare c = (Filter.Compare) filter;
    return compare(c, JsonPath.resolve(doc, c.path()));
  }

  private static boolean compare(Filter.Compare c, JsonNode actual) {
    if (c.op() == CompareOp.EQ) {
      return JsonValues.equal(actual, c.value());
    }
    if (c.op() == CompareOp.NEQ) {
      return !JsonValues.equal(actual, c.value());
    }
    OptionalInt order = JsonValues.compare(actual, c.value());
    if (order.isEmpty()) {
      return false;
    }
    int o = order.getAsInt();
    return switch (c.op()) {
      case GT -> o > 0;
      case GTE -> o >= 0;
      case LT -> o < 0;
      case LTE -> o <= 0;
      default -> throw new AssertionError(c.op());
    };
  }
}
