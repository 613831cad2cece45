package dev.mqttsidecar.dapr;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses the string values daprd passes as metadata. Booleans follow Dapr's {@code IsTruthy}
 * spelling; durations are a number with an optional unit ({@code ms}, {@code s}, {@code m}, {@code
 * h}) where a bare number means seconds: {@code "30"}, {@code "1.5s"}, {@code "500ms"}. Keys match
 * case-insensitively, as in Dapr's own components.
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
          key, "'" + value + "' is not a duration (e.g. \"30\" or \"30s\", \"500ms\", \"2m\")");
    }
    if (parsed.compareTo(min) < 0) {
      throw new InvalidMetadataException(key, value + " is shorter than " + min.toMillis() + "ms");
    }
    return parsed;
  }

  /** A duration such as "30", "1.5s", "500ms", "2m", "1h"; null if malformed. */
  public static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    long unitMillis;
    String number;
    if (s.endsWith("ms")) {
      unitMillis = 1;
      number = s.substring(0, s.length() - 2);
    } else if (s.endsWith("s")) {
      unitMillis = 1000;
      number = s.substring(0, s.length() - 1);
    } else if (s.endsWith("m")) {
      unitMillis = 60_000;
      number = s.substring(0, s.length() - 1);
    } else if (s.endsWith("h")) {
      unitMillis = 3_600_000;
      number = s.substring(0, s.length() - 1);
    } else {
      unitMillis = 1000;
      number = s;
    }
    try {
      double amount = Double.parseDouble(number.trim());
      if (Double.isNaN(amount) || amount < 0 || amount * unitMillis > Long.MAX_VALUE / 2) {
        return null;
      }
      return Duration.ofMillis(Math.round(amount * unitMillis));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
