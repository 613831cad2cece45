package dev.mqttsidecar.component.console;

import java.util.Map;

/**
 * Which page a list route returns: the entries after {@code after}, at most {@code limit} of them.
 * Pages are bounded so a large store never has to fit in one answer (or in the heap).
 */
public record PageRequest(String after, int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /** From the {@code after} and {@code limit} query parameters. */
  public static PageRequest of(Map<String, String> query) {
    String after = query.getOrDefault("after", "");
    String raw = query.get("limit");
    if (raw == null || raw.isEmpty()) {
      return new PageRequest(after, DEFAULT_LIMIT);
    }
    int limit;
    try {
      limit = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new BadRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ", was " + raw);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new BadRequest("limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
    }
    return new PageRequest(after, limit);
  }

  /**
   * A page of results; {@code next} is the value of {@code after} for the next page, or null at the
   * end.
   */
  public record Page<T>(java.util.List<T> items, String next) {}
}
