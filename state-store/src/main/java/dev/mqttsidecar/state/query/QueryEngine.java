package dev.mqttsidecar.state.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateError;
import dev.mqttsidecar.state.StateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * Runs a {@link StateQuery} over a store's keys: keeps the JSON values the filter matches (values
 * that are not JSON are skipped), sorts them by the sort keys (values missing at a sort path come
 * last in either direction) then by key, and cuts the page after the continuation token.
 *
 * <p>Values are read one at a time and only a row's key and sort values are kept while scanning: a
 * page keeps its best {@code limit + 1} rows, a query without a page limit fails as soon as its
 * matches exceed the response bound. The page's values are read again at the end, so memory follows
 * the answer, not the store.
 */
public final class QueryEngine {

  /** Bounds of one answer. */
  public record Limits(int maxPageItems, long maxResponseBytes) {}

  /** A matching key and its sort position. */
  private record Row(String key, List<JsonNode> sortValues) {
    PageToken position() {
      return new PageToken(sortValues, key);
    }
  }

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

  /**
   * @param keys the keys to consider, in any order
   * @param read a key's current entry; empty once it is gone
   * @throws StateException INVALID_ARGUMENT for a page limit over {@code maxPageItems}, TOO_LARGE
   *     when the answer would carry more than {@code maxResponseBytes} of values
   */
  public QueryPage run(
      StateQuery query,
      List<String> keys,
      Function<String, Optional<StateEntry>> read,
      Limits limits) {
    long limit = query.limit();
    if (limit > limits.maxPageItems()) {
      throw StateException.invalid(
          "query page.limit "
              + limit
              + " is over this store's maxBulkItems ("
              + limits.maxPageItems()
              + ")");
    }
    List<SortKey> sort = query.sort();
    Comparator<Row> order = Comparator.comparing(Row::position, order(sort));
    PageToken after = query.token().isEmpty() ? null : PageToken.decode(query.token(), sort.size());
    Comparator<PageToken> positions = order(sort);
    // Paged: the best limit + 1 rows (one more tells whether a next page exists), worst on top.
    PriorityQueue<Row> rows = new PriorityQueue<>(order.reversed());
    long matchedBytes = 0;
    for (String key : keys) {
      Optional<StateEntry> entry = read.apply(key);
      JsonNode doc = entry.map(e -> parse(e.value())).orElse(null);
      if (doc == null
          || (query.filter().isPresent() && !Matcher.matches(query.filter().get(), doc))) {
        continue;
      }
      List<JsonNode> values = new ArrayList<>(sort.size());
      sort.forEach(s -> values.add(JsonPath.resolve(doc, s.path())));
      Row row = new Row(key, values);
      if (after != null && positions.compare(row.position(), after) <= 0) {
        continue;
      }
      rows.add(row);
      if (limit > 0 && rows.size() > limit + 1) {
        rows.poll();
      } else if (limit <= 0) {
        matchedBytes += entry.get().value().length;
        checkSize(matchedBytes, limits);
      }
    }
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(order);
    boolean more = limit > 0 && sorted.size() > limit;
    List<Row> page = more ? sorted.subList(0, (int) limit) : sorted;
    return new QueryPage(
        readPage(page, read, limits), more ? page.get(page.size() - 1).position().encode() : "");
  }

  /** The page's current values; a key deleted since the scan is left out. */
  private static List<StateEntry> readPage(
      List<Row> page, Function<String, Optional<StateEntry>> read, Limits limits) {
    List<StateEntry> items = new ArrayList<>(page.size());
    long bytes = 0;
    for (Row row : page) {
      Optional<StateEntry> entry = read.apply(row.key());
      if (entry.isPresent()) {
        bytes += entry.get().value().length;
        checkSize(bytes, limits);
        items.add(entry.get());
      }
    }
    return items;
  }

  private static void checkSize(long bytes, Limits limits) {
    if (bytes > limits.maxResponseBytes()) {
      throw new StateException(
          new StateError.TooLarge(
              "query result is over this store's maxResponseBytes ("
                  + limits.maxResponseBytes()
                  + " bytes of values): set page.limit or a narrower filter"));
    }
  }

  private static JsonNode parse(byte[] value) {
    try {
      return QueryParser.JSON.readTree(value);
    } catch (IOException | NumberFormatException notJson) {
      // NumberFormatException: a number with an exponent no decimal holds (1e2147483648).
      return null;
    }
  }
}
