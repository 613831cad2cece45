package dev.mqttsidecar.state.query;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dapr state query.
 *
 * @param filter the filter, or empty to match every key
 * @param sort sort keys, most significant first; ties (and an empty list) order by key
 * @param limit the page size; 0 or less returns everything
 * @param token the continuation token of the previous page, or empty for the first page
 */
public record StateQuery(Optional<Filter> filter, List<SortKey> sort, long limit, String token) {
  public StateQuery {
    sort = List.copyOf(sort);
    token = token == null ? "" : token;
  }

  /** Every key, in key order. */
  public static StateQuery all() {
    return new StateQuery(Optional.empty(), List.of(), 0, "");
  }
}
