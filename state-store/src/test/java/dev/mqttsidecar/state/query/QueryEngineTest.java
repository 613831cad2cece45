package dev.mqttsidecar.state.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateError;
import dev.mqttsidecar.state.StateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
    assertThat(keys(run(q, entries))).containsExactly(expectedKeys.split(","));
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
    assertThat(keys(run(q, entries))).containsExactly("p1");
  }

  @Test
  void sortsOnSeveralKeysWithMissingValuesLast() {
    StateQuery q =
        QueryParser.parse(
            "{\"filter\":{\"NEQ\":{\"name\":\"x\"}},"
                + "\"sort\":[{\"key\":\"org.team\",\"order\":\"DESC\"},{\"key\":\"age\"}]}");
    // team b first (DESC); within a team by age ASC, a missing age last.
    assertThat(keys(run(q, entries))).containsExactly("p2", "p3", "p1", "p4", "num");
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
          run(new StateQuery(Optional.empty(), List.of(new SortKey("n", true)), 7, token), many);
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
    StateQuery q = new StateQuery(Optional.empty(), List.of(), 5, "");
    assertThat(run(q, entries).token()).isEmpty();
    assertThat(run(new StateQuery(Optional.empty(), List.of(), 4, ""), entries).token())
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
    StateQuery q = new StateQuery(Optional.empty(), List.of(), 2, "garbage!");
    assertThatThrownBy(() -> run(q, entries)).hasMessageContaining("token");
    String token = run(new StateQuery(Optional.empty(), List.of(), 2, ""), entries).token();
    StateQuery other =
        new StateQuery(Optional.empty(), List.of(new SortKey("age", false)), 2, token);
    assertThatThrownBy(() -> run(other, entries)).hasMessageContaining("token");
  }

  @Test
  void numbersBeyondDoubleRangeCompareByValueAndFailNothing() {
    List<StateEntry> odd =
        List.of(
            entry("huge", "{\"n\":1e400}"),
            entry("tiny", "{\"n\":-1e400}"),
            entry("precise", "{\"n\":0.10000000000000000000000000001}"),
            entry("small", "{\"n\":1}"));
    assertThat(keys(run(QueryParser.parse("{\"filter\":{\"GT\":{\"n\":1e300}}}"), odd)))
        .containsExactly("huge");
    assertThat(keys(run(QueryParser.parse("{\"filter\":{\"EQ\":{\"n\":1E+400}}}"), odd)))
        .containsExactly("huge");
    assertThat(keys(run(QueryParser.parse("{\"filter\":{\"GT\":{\"n\":0.1}}}"), odd)))
        .containsExactly("huge", "precise", "small");
    StateQuery sorted = QueryParser.parse("{\"sort\":[{\"key\":\"n\"}]}");
    assertThat(keys(run(sorted, odd))).containsExactly("tiny", "precise", "small", "huge");
  }

  @Test
  void aValueWithAnExponentNoDecimalHoldsIsSkippedLikeAnyValueThatIsNotJson() {
    List<StateEntry> values =
        List.of(entry("beyond", "{\"n\":1E+2167483647}"), entry("small", "{\"n\":1}"));
    assertThat(keys(run(QueryParser.parse("{\"sort\":[{\"key\":\"n\"}]}"), values)))
        .containsExactly("small");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"filter\":{\"GT\":{\"n\":1e2147483648}}}",
        "{\"filter\":{\"GT\":{\"n\":1}}, \"x\":-1E-2147483649}"
      })
  void aQueryWithAnExponentNoDecimalHoldsIsRefused(String json) {
    assertThatThrownBy(() -> QueryParser.parse(json))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("invalid query: the query holds a number out of range");
    assertThatThrownBy(
            () ->
                QueryParser.filter(
                    Map.of("GT", "{\"n\":1e2147483648}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("the operand of GT holds a number out of range");
  }

  @Test
  void answersAreBoundedByPageItemsAndResponseBytes() {
    List<StateEntry> big = new ArrayList<>();
    String pad = "x".repeat(1000);
    for (int i = 0; i < 50; i++) {
      big.add(entry("k" + i, "{\"n\":" + i + ",\"pad\":\"" + pad + "\"}"));
    }
    QueryEngine.Limits limits = new QueryEngine.Limits(10, 20_000);
    assertThatThrownBy(() -> run(new StateQuery(Optional.empty(), List.of(), 11, ""), big, limits))
        .isInstanceOfSatisfying(
            StateException.class,
            e -> assertThat(e.error()).isInstanceOf(StateError.InvalidArgument.class))
        .hasMessageContaining("maxBulkItems (10)");
    assertThatThrownBy(() -> run(new StateQuery(Optional.empty(), List.of(), 0, ""), big, limits))
        .isInstanceOfSatisfying(
            StateException.class,
            e -> assertThat(e.error()).isInstanceOf(StateError.TooLarge.class))
        .hasMessageContaining("maxResponseBytes (20000");
    StateQuery lastTen =
        QueryParser.parse(
            "{\"sort\":[{\"key\":\"n\",\"order\":\"DESC\"}],\"page\":{\"limit\":10}}");
    QueryPage page = run(lastTen, big, limits);
    assertThat(keys(page))
        .containsExactly("k49", "k48", "k47", "k46", "k45", "k44", "k43", "k42", "k41", "k40");
    assertThat(page.token()).isNotEmpty();
  }

  private QueryPage run(StateQuery q, List<StateEntry> entries) {
    return run(q, entries, new QueryEngine.Limits(1000, Long.MAX_VALUE));
  }

  private QueryPage run(StateQuery q, List<StateEntry> entries, QueryEngine.Limits limits) {
    Map<String, StateEntry> byKey = new HashMap<>();
    entries.forEach(e -> byKey.put(e.key(), e));
    List<String> keys = new ArrayList<>(byKey.keySet());
    Collections.shuffle(keys, new Random(7)); // the engine must not rely on the store's order
    return engine.run(q, keys, k -> Optional.ofNullable(byKey.get(k)), limits);
  }

  private static List<String> keys(QueryPage page) {
    return page.items().stream().map(StateEntry::key).toList();
  }

  private static StateEntry entry(String key, String json) {
    return new StateEntry(key, json.getBytes(StandardCharsets.UTF_8), "1", null, null);
  }
}
