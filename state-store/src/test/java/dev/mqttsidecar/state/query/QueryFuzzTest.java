package dev.mqttsidecar.state.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateError;
import dev.mqttsidecar.state.StateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dapr's state query language, parsed ({@link QueryParser}) and run ({@link QueryEngine}) over
 * stored values, from arbitrary text. A query is either refused with INVALID_ARGUMENT or runs
 * without any other exception; the filter as daprd sends it over gRPC (operator to operand JSON)
 * matches what the JSON form matches; and reading the answer page by page, following the tokens,
 * gives exactly the unpaged answer: no key repeated, none skipped.
 *
 * <p>Input: UTF-8 lines. The first is the query in Dapr's JSON form, the others are stored values
 * besides a fixed set of JSON documents (numbers of every form, nested paths, strings, values that
 * are not JSON).
 */
class QueryFuzzTest {
  private static final int MAX_EXTRA_VALUES = 16;
  private static final QueryEngine.Limits LIMITS = new QueryEngine.Limits(100, 1 << 20);

  private static final List<String> STORED =
      List.of(
          "{\"name\":\"alpha\",\"n\":1,\"tags\":[\"x\",\"y\"],\"org\":{\"team\":{\"id\":2}}}",
          "{\"name\":\"beta\",\"n\":1.0,\"value\":{\"n\":5},\"flag\":false}",
          "{\"name\":\"gamma\",\"n\":-3.5e2,\"flag\":true,\"tags\":[]}",
          "{\"name\":\"delta\",\"n\":\"1\",\"org\":{\"team\":\"a\"}}",
          "{\"name\":null,\"n\":null}",
          "{\"name\":\"épsilon\",\"n\":12345678901234567890123,\"org\":[1,{\"x\":2}]}",
          "{\"name\":\"zeta\",\"n\":1e400,\"m\":{\"a.b\":1}}",
          "{\"name\":\"eta\",\"n\":0.000000000000000000001,\"flag\":[true]}",
          "[1,2,3]",
          "\"just a string\"",
          "42",
          "not json {");

  @FuzzTest
  void query(byte[] input) {
    String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", MAX_EXTRA_VALUES + 1);
    StateQuery query;
    try {
      query = QueryParser.parse(lines[0]);
    } catch (StateException e) {
      assertRefused(e);
      return;
    }
    Optional<Filter> grpcFilter = grpcForm(lines[0]);
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (int i = 0; i < STORED.size(); i++) {
      values.put("k" + i, STORED.get(i).getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 1; i < lines.length; i++) {
      values.put("x" + i, lines[i].getBytes(StandardCharsets.UTF_8));
    }
    try {
      run(query, values); // the query as written, token and limit included
    } catch (StateException e) {
      assertRefused(e);
    }
    List<String> all =
        keys(run(new StateQuery(query.filter(), query.sort(), 0, ""), values).items());
    if (grpcFilter.isPresent()) {
      assertThat(keys(run(new StateQuery(grpcFilter, query.sort(), 0, ""), values).items()))
          .as("the same filter sent as daprd does over gRPC")
          .isEqualTo(all);
    }
    int pageSize = query.limit() >= 1 && query.limit() <= 5 ? (int) query.limit() : 2;
    assertThat(readPageByPage(query, values, pageSize, all.size())).isEqualTo(all);
  }

  /**
   * The filter as daprd sends it over gRPC: its one operator, and the operand as JSON bytes; empty
   * when the query has no filter, or not exactly one operator.
   */
  private static Optional<Filter> grpcForm(String json) {
    JsonNode filter;
    byte[] operand;
    try {
      filter = QueryParser.JSON.readTree(json).get("filter");
      if (filter == null || !filter.isObject() || filter.size() != 1) {
        return Optional.empty();
      }
      operand =
          QueryParser.JSON.writeValueAsBytes(filter.properties().iterator().next().getValue());
    } catch (JsonProcessingException e) {
      throw new AssertionError("it parsed, so it is JSON", e);
    }
    return QueryParser.filter(Map.of(filter.fieldNames().next(), operand));
  }

  private static List<String> readPageByPage(
      StateQuery query, Map<String, byte[]> values, int pageSize, int expected) {
    List<String> keys = new ArrayList<>();
    String token = "";
    for (int page = 0; page <= expected + 1; page++) {
      QueryPage p = run(new StateQuery(query.filter(), query.sort(), pageSize, token), values);
      assertThat(p.items()).hasSizeLessThanOrEqualTo(pageSize);
      keys.addAll(keys(p.items()));
      token = p.token();
      if (token.isEmpty()) {
        return keys;
      }
    }
    throw new AssertionError("more pages than matching keys: " + keys);
  }

  private static QueryPage run(StateQuery query, Map<String, byte[]> values) {
    return new QueryEngine()
        .run(
            query,
            List.copyOf(values.keySet()),
            key ->
                Optional.ofNullable(values.get(key))
                    .map(v -> new StateEntry(key, v, "1", null, null)),
            LIMITS);
  }

  private static List<String> keys(List<StateEntry> entries) {
    return entries.stream().map(StateEntry::key).toList();
  }

  private static void assertRefused(StateException e) {
    assertThat(e.error()).isInstanceOf(StateError.InvalidArgument.class);
    assertThat(e.getMessage()).containsAnyOf("invalid query", "page.limit");
  }
}
