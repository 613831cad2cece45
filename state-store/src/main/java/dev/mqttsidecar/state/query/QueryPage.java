package dev.mqttsidecar.state.query;

import dev.mqttsidecar.state.StateEntry;
import java.util.List;

/**
 * One page of query results.
 *
 * @param items the matching entries, in order
 * @param token the continuation token for the next page; empty when this is the last page
 */
public record QueryPage(List<StateEntry> items, String token) {
  public QueryPage {
    items = List.copyOf(items);
  }
}
