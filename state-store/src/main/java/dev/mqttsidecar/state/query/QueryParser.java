package dev.mqttsidecar.state.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttsidecar.state.StateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses Dapr's state query language. Over gRPC daprd sends the filter object as a map from its one
 * top-level operator to that operator's operand as JSON bytes ({@link #filter(Map)}); the JSON form
 * of a whole query ({@link #parse(String)}) is accepted too.
 */
public final class QueryParser {
  // Decimals, not doubles: a stored 1e400 would become Infinity, which has no decimal value and
  // would fail every comparison of the query.
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Jackson throws NumberFormatException for an exponent no decimal holds (1e2147483648). */
  private static final String OUT_OF_RANGE = "a number out of range (exponent beyond ±2147483647)";

  private QueryParser() {}

  /**
   * The filter daprd sends over gRPC: operator name to operand JSON.
   *
   * @return empty for no filter (match everything)
   * @throws StateException INVALID_ARGUMENT describing what is wrong
   */
  public static Optional<Filter> filter(Map<String, byte[]> operators) {
    if (operators.isEmpty()) {
      return Optional.empty();
    }
    if (operators.size() > 1) {
      throw invalid(
          "the filter must have exactly one top-level operator, has " + operators.keySet());
    }
    Map.Entry<String, byte[]> only = operators.entrySet().iterator().next();
    JsonNode operand;
    try {
      operand = JSON.readTree(only.getValue());
    } catch (JsonProcessingException e) {
      throw invalid("the operand of " + only.getKey() + " is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("the operand of " + only.getKey() + " is not JSON");
    } catch (NumberFormatException e) {
      throw invalid("the operand of " + only.getKey() + " holds " + OUT_OF_RANGE);
    }
    return Optional.of(operation(only.getKey(), operand));
  }

  /**
   * A whole query in Dapr's JSON form: {@code {"filter": {...}, "sort": [{"key": "a", "order":
   * "DESC"}], "page": {"limit": 10, "token": "..."}}}.
   */
  public static StateQuery parse(String json) {
    return parse(tree(json.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * JSON read as queries read it (numbers as decimals), for a document that holds a query.
   *
   * @throws StateException INVALID_ARGUMENT if it is not JSON
   */
  public static JsonNode tree(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw invalid("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("not JSON");
    } catch (NumberFormatException e) {
      throw invalid("the query holds " + OUT_OF_RANGE);
    }
  }

  /** A whole query in Dapr's JSON form, read by {@link #tree}. */
  public static StateQuery parse(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw invalid("a query must be a JSON object");
    }
    Optional<Filter> filter =
        root.hasNonNull("filter") && root.get("filter").size() > 0
            ? Optional.of(filterObject(root.get("filter")))
            : Optional.empty();
    List<SortKey> sort = new ArrayList<>();
    if (root.hasNonNull("sort")) {
      if (!root.get("sort").isArray()) {
        throw invalid("sort must be an array");
      }
      for (JsonNode s : root.get("sort")) {
        String key = s.path("key").asText("");
        if (key.isEmpty()) {
          throw invalid("every sort entry needs a non-empty key");
        }
        sort.add(new SortKey(key, "DESC".equalsIgnoreCase(s.path("order").asText("ASC"))));
      }
    }
    JsonNode page = root.path("page");
    return new StateQuery(
        filter, sort, page.path("limit").asLong(0), page.path("token").asText(""));
  }

  /** A filter object: exactly one operator field. */
  static Filter filterObject(JsonNode node) {
    if (node == null || !node.isObject() || node.size() != 1) {
      throw invalid("a filter must be an object with exactly one operator, was " + node);
    }
    Map.Entry<String, JsonNode> only = node.properties().iterator().next();
    return operation(only.getKey(), only.getValue());
  }

  private static Filter operation(String name, JsonNode operand) {
    String op = name.toUpperCase(Locale.ROOT);
    switch (op) {
      case "AND", "OR" -> {
        if (operand == null || !operand.isArray() || operand.isEmpty()) {
          throw invalid(op + " needs a non-empty array of filters, was " + operand);
        }
        List<Filter> operands = new ArrayList<>();
        for (JsonNode child : operand) {
          operands.add(filterObject(child));
        }
        return op.equals("AND") ? new Filter.And(operands) : new Filter.Or(operands);
      }
      case "IN" -> {
        Map.Entry<String, JsonNode> field = singleField(op, operand);
        if (!field.getValue().isArray() || field.getValue().isEmpty()) {
          throw invalid("IN needs a non-empty array of values for '" + field.getKey() + "'");
        }
        List<JsonNode> values = new ArrayList<>();
        field.getValue().forEach(values::add);
        return new Filter.In(field.getKey(), values);
      }
      default -> {
        CompareOp compare;
        try {
          compare = CompareOp.valueOf(op);
        } catch (IllegalArgumentException e) {
          throw invalid(
              "unknown operator '" + name + "' (expected EQ, NEQ, GT, GTE, LT, LTE, IN, AND, OR)");
        }
        Map.Entry<String, JsonNode> field = singleField(op, operand);
        if (compare != CompareOp.EQ
            && compare != CompareOp.NEQ
            && !field.getValue().isValueNode()) {
          throw invalid(op + " needs a number or string value for '" + field.getKey() + "'");
        }
        return new Filter.Compare(compare, field.getKey(), field.getValue());
      }
    }
  }

  private static Map.Entry<String, JsonNode> singleField(String op, JsonNode operand) {
    if (operand == null || !operand.isObject() || operand.size() != 1) {
      throw invalid(op + " needs an object with exactly one \"path\": value field, was " + operand);
    }
    Map.Entry<String, JsonNode> field = operand.properties().iterator().next();
    if (field.getKey().isEmpty()) {
      throw invalid(op + " needs a non-empty path");
    }
    return field;
  }

  private static StateException invalid(String message) {
    return StateException.invalid("invalid query: " + message);
  }
}
