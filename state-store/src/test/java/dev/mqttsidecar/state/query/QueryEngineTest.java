package dev.mqttsidecar.state.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryEngineTest {
  private final QueryEngine engine = new QueryEngine();

  private final List<StateEntry> entries =
      List.of(
          entry("p1", "{\"name\":\"ann\",\"age\":31,\"org\":{\"team\":\"a\"},\"tags\":[\"x\"]}"),
          entry("p2", "{\"name\":\"bob\",\"age\":25,\"org\":{\"team\":\"b\"}}"),
          entry("p3", "{\"name\":\"cid\",\"age\":31.0,\"org\":{\"team\":\"b\"}}"),
          entry("p4", "{\"name\":\"dan\",\"org\":{\"team\":\"a\"}}"),
          entry("raw", "not json {"),
          entry("bin", "\u0001\u0002"),
          entry("num", "42"));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"EQ\":{\"age\":31}}|p1,p3",
        "{\"EQ\":{\"org.team\":\"a\"}}|p1,p4",
        "{\"EQ\":{\"value.org.team\":\"a\"}}|p1,p4",
        "{\"EQ\":{\"tags.0\":\"x\"}}|p1",
        "{\"NEQ\":{\"org.team\":\"a\"}}|num,p2,p3",
        "{\"GT\":{\"age\":25}}|p1,p3",
        "{\"GTE\":{\"age\":25}}|p1,p2,p3",
        "{\"LT\":{\"age\":31}}|p2",
        "{\"LTE\":{\"age\":31}}|p1,p2,p3",
        "{\"GT\":{\"name\":\"bob\"}}|p3,p4",
        "{\"IN\":{\"name\":[\"bob\",\"dan\",\"zed\"]}}|p2,p4",
        "{\"AND\":[{\"EQ\":{\"org.team\":\"b\"}},{\"GTE\":{\"age\":30}}]}|p3",
        "{\"OR\":[{\"EQ\":{\"name\":\"ann\"}},{\"LT\":{\"age\":30}}]}|p1,p2",
        "{\"OR\":[{\"AND\":[{\"EQ\":{\"org.team\":\"a\"}},{\"GT\":{\"age\":11.1}}]},"
            + "{\"AND\":[{\"EQ\":{\"org.team\":\"b\"}},{\"LTE\":{\"age\":25}}]}]}|p1,p2",
        "{}|num,p1,p2,p3,p4"
      })
  void filters(String filter, String expectedKeys) {
    StateQuery q = QueryParser.parse("{\"filter\":" + filter + "}");
    assertThat(keys(engine.run(q, entries))).containsExactly(expectedKeys.split(","));
  }

  @Test
  void grpcWireFormFilterIsOperatorToOperandJson() {
    var filter =
        QueryParser.filter(
            Map.of(
                "OR",
                "[{\"EQ\":{\"name\":\"dummy\"}},{\"IN\":{\"name\":[\"ann\",\"dummy\"]}}]"
                    .getBytes(StandardCharsets.UTF_8)));
    StateQuery q = new StateQuery(filter, List.of(), 0, "");
    assertThat(keys(engine.run(q, entries))).containsExactly("p1");
  }

  @Test
  void sortsOnSeveralKeysWithMissingValuesLast() {
    StateQuery q =
        QueryParser.parse(
            "{\"filter\":{\"NEQ\":{\"name\":\"x\"}},"
                + "\"sort\":[{\"key\":\"org.team\",\"order\":\"DESC\"},{\"key\":\"age\"}]}");
    // team b first (DESC); within a team by age ASC, a missing age last.
    assertThat(keys(engine.run(q, entries))).containsExactly("p2", "p3", "p1", "p4", "num");
  }

  @Test
  void pagesWithContinuationTokensAndSeesEveryItemOnce() {
    List<StateEntry> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(entry(String.format("k%02d", i), "{\"n\":" + (i % 5) + "}"));
    }
    List<String> seen = new ArrayList<>();
    String token = "";
    for (int page = 0; page < 10; page++) {
      QueryPage p =
          engine.run(
              new StateQuery(java.util.Optional.empty(), List.of(new SortKey("n", true)), 7, token),
              many);
      assertThat(p.items().size()).isLessThanOrEqualTo(7);
      p.items().forEach(e -> seen.add(e.key()));
      token = p.token();
      if (token.isEmpty()) {
        break;
      }
      if (page == 1) {
        // A key deleted between pages shifts nothing: nothing repeats, nothing is skipped.
        many.removeIf(e -> e.key().equals("k04"));
        many.add(entry("k04b", "{\"n\":4}"));
      }
    }
    assertThat(token).isEmpty();
    assertThat(seen).doesNotHaveDuplicates().hasSize(25).doesNotContain("k04b");
    assertThat(seen.subList(0, 5)).containsExactly("k04", "k09", "k14", "k19", "k24");
  }

  @Test
  void lastFullPageHasNoToken() {
    StateQuery q = new StateQuery(java.util.Optional.empty(), List.of(), 5, "");
    assertThat(engine.run(q, entries).token()).isEmpty();
    assertThat(
            engine
                .run(new StateQuery(java.util.Optional.empty(), List.of(), 4, ""), entries)
                .token())
        .isNotEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"filter\":{\"LIKE\":{\"a\":1}}}|unknown operator 'LIKE'",
        "{\"filter\":{\"EQ\":{\"a\":1,\"b\":2}}}|exactly one",
        "{\"filter\":{\"IN\":{\"a\":1}}}|IN needs a non-empty array",
        "{\"filter\":{\"AND\":{\"EQ\":{\"a\":1}}}}|AND needs a non-empty array",
        "{\"filter\":{\"GT\":{\"a\":[1]}}}|GT needs a number or string",
        "{\"filter\":{\"EQ\":{\"a\":1},\"NEQ\":{\"b\":1}}}|exactly one operator",
        "{\"sort\":[{\"order\":\"ASC\"}]}|non-empty key",
        "[1]|JSON object"
      })
  void badQueriesSayWhatIsWrong(String json, String message) {
    assertThatThrownBy(() -> QueryParser.parse(json))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("invalid query")
        .hasMessageContaining(message);
  }

  @Test
  void foreignTokensAreRejected() {
    StateQuery q = new StateQuery(java.util.Optional.empty(), List.of(), 2, "garbage!");
    assertThatThrownBy(() -> engine.run(q, entries)).hasMessageContaining("token");
    String token =
        engine.run(new StateQuery(java.util.Optional.empty(), List.of(), 2, ""), entries).token();
    StateQuery other =
        new StateQuery(java.util.Optional.empty(), List.of(new SortKey("age", false)), 2, token);
    assertThatThrownBy(() -> engine.run(other, entries)).hasMessageContaining("token");
  }

  @Test
  void numbersBeyondDoubleRangeCompareByValueAndFailNothing() {
    List<StateEntry> odd =
        List.of(
            entry("huge", "{\"n\":1e400}"),
            entry("tiny", "{\"n\":-1e400}"),
            entry("precise", "{\"n\":0.10000000000000000000000000001}"),
            entry("small", "{\"n\":1}"));
    assertThat(keys(engine.run(QueryParser.parse("{\"filter\":{\"GT\":{\"n\":1e300}}}"), odd)))
        .containsExactly("huge");
    assertThat(keys(engine.run(QueryParser.parse("{\"filter\":{\"EQ\":{\"n\":1E+400}}}"), odd)))
        .containsExactly("huge");
    assertThat(keys(engine.run(QueryParser.parse("{\"filter\":{\"GT\":{\"n\":0.1}}}"), odd)))
        .containsExactly("huge", "precise", "small");
    StateQuery sorted = QueryParser.parse("{\"sort\":[{\"key\":\"n\"}]}");
    assertThat(keys(engine.run(sorted, odd))).containsExactly("tiny", "precise", "small", "huge");
  }

  private static List<String> keys(QueryPage page) {
    return page.items().stream().map(StateEntry::key).toList();
  }

  private static StateEntry entry(String key, String json) {
    return new StateEntry(key, json.getBytes(StandardCharsets.UTF_8), "1", null, null);
  }
}
