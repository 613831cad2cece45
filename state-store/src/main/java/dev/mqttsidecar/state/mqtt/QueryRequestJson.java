package dev.mqttsidecar.state.mqtt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dapr.proto.components.v1.State;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON form of a query request: {@code {"query": <Dapr's query JSON>, "metadata": {...}}}, the
 * query written as for Dapr's state query API ({@code filter}, {@code sort}, {@code page}).
 * Protobuf's JSON mapping cannot carry it: daprd sends each filter operand as an {@code Any}
 * without a type URL whose value is the operand's JSON, and such an {@code Any} has no JSON form.
 */
final class QueryRequestJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private QueryRequestJson() {}

  static State.QueryRequest parse(byte[] payload) throws InvalidProtocolBufferException {
    JsonNode root;
    try {
      root = MAPPER.readTree(payload);
    } catch (IOException e) {
      throw new InvalidProtocolBufferException("not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidProtocolBufferException("a query request is a JSON object");
    }
    State.QueryRequest.Builder request = State.QueryRequest.newBuilder();
    JsonNode query = root.path("query");
    if (!query.isMissingNode()) {
      request.setQuery(query(object(query, "query")));
    }
    JsonNode metadata = root.path("metadata");
    if (!metadata.isMissingNode()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object(metadata, "metadata").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        request.putMetadata(e.getKey(), e.getValue().asText());
      }
    }
    return request.build();
  }

  private static State.Query query(JsonNode query) throws InvalidProtocolBufferException {
    State.Query.Builder q = State.Query.newBuilder();
    JsonNode filter = query.path("filter");
    if (!filter.isMissingNode()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object(filter, "query.filter").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        q.putFilter(
            e.getKey(),
            Any.newBuilder().setValue(ByteString.copyFromUtf8(e.getValue().toString())).build());
      }
    }
    JsonNode sort = query.path("sort");
    if (!sort.isMissingNode() && !sort.isArray()) {
      throw new InvalidProtocolBufferException("query.sort must be an array");
    }
    for (JsonNode s : sort) {
      // Dapr: an order other than DESC sorts ascending.
      q.addSort(
          State.Sorting.newBuilder()
              .setKey(object(s, "query.sort[]").path("key").asText(""))
              .setOrder(
                  "DESC".equals(s.path("order").asText())
                      ? State.Sorting.Order.DESC
                      : State.Sorting.Order.ASC));
    }
    JsonNode page = query.path("page");
    if (!page.isMissingNode()) {
      object(page, "query.page");
      q.setPagination(
          State.Pagination.newBuilder()
              .setLimit(page.path("limit").asLong())
              .setToken(page.path("token").asText("")));
    }
    return q.build();
  }

  private static JsonNode object(JsonNode node, String name) throws InvalidProtocolBufferException {
    if (!node.isObject()) {
      throw new InvalidProtocolBufferException(name + " must be a JSON object");
    }
    return node;
  }
}
