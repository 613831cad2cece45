package dev.mqttsidecar.dapr;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses the string values daprd passes as metadata. Booleans follow Dapr's {@code IsTruthy}
 * spelling; durations are Go's ({@code "1m30s"}, {@code "250ms"}, {@code "1h"}), or a bare number
 * of seconds ({@code "30"}). Keys match case-insensitively, as in Dapr's own components.
 */
public final class MetadataValues {
  private static final Set<String> TRUE = Set.of("true", "t", "yes", "y", "on", "1");
  private static final Set<String> FALSE = Set.of("false", "f", "no", "n", "off", "0");

  private final Map<String, String> values;

  public MetadataValues(Map<String, String> values) {
    this.values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    this.values.putAll(values);
  }

  /** The trimmed value, or null when the key is absent or blank. */
  public String get(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  public String string(String key, String fallback) {
    String value = get(key);
    return value == null ? fallback : value;
  }

  public boolean bool(String key, boolean fallback) {
    String value = get(key);
    if (value == null) {
      return fallback;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (TRUE.contains(lower)) {
      return true;
    }
    if (FALSE.contains(lower)) {
      return false;
    }
    throw new InvalidMetadataException(key, "'" + value + "' is not a boolean (true/false)");
  }

  public int integer(String key, int fallback, int min, int max) {
    String value = get(key);
    if (value == null) {
      return fallback;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidMetadataException(key, "'" + value + "' is not an integer");
    }
    if (parsed < min || parsed > max) {
      throw new InvalidMetadataException(key, value + " is outside [" + min + ", " + max + "]");
    }
    return (int) parsed;
  }

  public Duration duration(String key, Duration fallback, Duration min) {
    String value = get(key);
    if (value == null) {
      return fallback;
    }
    Duration parsed = parseDuration(value);
    if (parsed == null) {
      throw new InvalidMetadataException(
          key,
          "'"
              + value
              + "' is not a duration (e.g. \"30s\", \"500ms\", \"1m30s\", or \"30\" for seconds)");
    }
    if (parsed.compareTo(min) < 0) {
      throw new InvalidMetadataException(key, value + " is shorter than " + min.toMillis() + "ms");
    }
    return parsed;
  }

  /**
   * A duration in Go's syntax or a bare number of seconds (see {@link GoDuration}); null if not.
   */
  public static Duration parseDuration(String text) {
    return GoDuration.parse(text);
  }
}
