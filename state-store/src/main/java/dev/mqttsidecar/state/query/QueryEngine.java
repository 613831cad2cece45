package dev.mqttsidecar.state.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsidecar.state.StateEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs a {@link StateQuery} over entries: keeps the JSON values the filter matches (values that are
 * not JSON are skipped), sorts them by the sort keys (values missing at a sort path come last in
 * either direction) then by key, and cuts the page after the continuation token.
 */
public final class QueryEngine {

  /** An entry with its parsed value and its sort position. */
  private record Row(StateEntry entry, List<JsonNode> sortValues) {}

  /** The order of a sort position, shared by rows and tokens. */
  private static Comparator<PageToken> order(List<SortKey> sort) {
    return (a, b) -> {
      for (int i = 0; i < sort.size(); i++) {
        JsonNode x = a.sortValues().get(i);
        JsonNode y = b.sortValues().get(i);
        if (x == null || y == null) {
          if (x != y) {
            return x == null ? 1 : -1; // missing values last, whatever the direction
          }
          continue;
        }
        int c = JsonValues.SORT_ORDER.compare(x, y);
        if (c != 0) {
          return sort.get(i).descending() ? -c : c;
        }
      }
      return a.key().compareTo(b.key());
    };
  }

  public QueryPage run(StateQuery query, List<StateEntry> entries) {
    List<SortKey> sort = query.sort();
    Comparator<PageToken> order = order(sort);
    PageToken after = query.token().isEmpty() ? null : PageToken.decode(query.token(), sort.size());
    List<Row> rows = new ArrayList<>();
    for (StateEntry entry : entries) {
      JsonNode doc = parse(entry.value());
      if (doc == null
          || (query.filter().isPresent() && !Matcher.matches(query.filter().get(), doc))) {
        continue;
      }
      List<JsonNode> values = new ArrayList<>(sort.size());
      sort.forEach(s -> values.add(JsonPath.resolve(doc, s.path())));
      Row row = new Row(entry, values);
      if (after == null || order.compare(position(row), after) > 0) {
        rows.add(row);
      }
    }
    rows.sort((a, b) -> order.compare(position(a), position(b)));
    long limit = query.limit();
    if (limit <= 0 || rows.size() <= limit) {
      return new QueryPage(rows.stream().map(Row::entry).toList(), "");
    }
    List<Row> page = rows.subList(0, (int) limit);
    String token = position(page.get(page.size() - 1)).encode();
    return new QueryPage(page.stream().map(Row::entry).toList(), token);
  }

  private static PageToken position(Row row) {
    return new PageToken(row.sortValues(), row.entry().key());
  }

  private static JsonNode parse(byte[] value) {
    try {
      return QueryParser.JSON.readTree(value);
    } catch (IOException notJson) {
      return null;
    }
  }
}
