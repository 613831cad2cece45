package dev.mqttsidecar.state.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mqttsidecar.state.StateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An opaque continuation token: the sort position (sort values and key) of the last item of a page.
 * The next page starts strictly after it, so keys written or deleted between pages neither repeat
 * nor shift other results.
 */
record PageToken(List<JsonNode> sortValues, String key) {

  String encode() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("k", key);
    ArrayNode values = node.putArray("s");
    sortValues.forEach(v -> values.add(v == null ? JsonNodeFactory.instance.nullNode() : v));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param sortKeys how many sort keys the query has; a token from another query is rejected
   * @throws StateException INVALID_ARGUMENT for a token this store did not issue
   */
  static PageToken decode(String token, int sortKeys) {
    try {
      JsonNode node = QueryParser.JSON.readTree(Base64.getUrlDecoder().decode(token));
      JsonNode key = node.get("k");
      JsonNode values = node.get("s");
      if (key == null
          || !key.isTextual()
          || values == null
          || !values.isArray()
          || values.size() != sortKeys) {
        throw new IllegalArgumentException("wrong shape");
      }
      List<JsonNode> sortValues = new ArrayList<>();
      values.forEach(v -> sortValues.add(v.isNull() ? null : v));
      return new PageToken(sortValues, key.textValue());
    } catch (Exception e) {
      throw StateException.invalid(
          "invalid query: pagination token '" + token + "' was not issued for this query");
    }
  }
}
