package dev.mqttsidecar.state.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.query.QueryParser;
import dev.mqttsidecar.state.query.StateQuery;

/**
 * The JSON form of a query request: {@code {"query": <Dapr's query JSON>, "metadata": {...}}}, the
 * query written as for Dapr's state query API ({@code filter}, {@code sort}, {@code page}) and read
 * by {@link QueryParser}. Protobuf's JSON mapping cannot carry it: daprd sends each filter operand
 * as an {@code Any} without a type URL whose value is the operand's JSON, and such an {@code Any}
 * has no JSON form.
 */
final class QueryRequestJson {
  private QueryRequestJson() {}

  /**
   * @throws StateException INVALID_ARGUMENT for a body that is no such request or no valid query
   */
  static StateQuery parse(byte[] payload) {
    JsonNode root = QueryParser.tree(payload);
    requireObject(root, "a query request");
    JsonNode query = root.path("query");
    if (query.isMissingNode()) {
      return QueryParser.parse("{}");
    }
    requireObject(query, "query");
    if (!query.path("filter").isMissingNode()) {
      requireObject(query.path("filter"), "query.filter");
    }
    if (!root.path("metadata").isMissingNode()) {
      requireObject(root.path("metadata"), "metadata");
    }
    return QueryParser.parse(query);
  }

  private static void requireObject(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      throw StateException.invalid(name + " must be a JSON object");
    }
  }
}
