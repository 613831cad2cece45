package dev.mqttsidecar.dapr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Go's duration syntax ({@code time.ParseDuration}), which Dapr users write in component metadata:
 * a sequence of decimal numbers, each with a unit, such as {@code "1m30s"}, {@code "250ms"}, {@code
 * "1.5h"} or {@code "2h45m10.5s"}; units {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code
 * s}, {@code m}, {@code h}; {@code "0"} alone needs no unit. Beyond Go, a bare number means seconds
 * ({@code "30"}, as the {@code ...Seconds} keys are written). Negative durations are refused.
 */
public final class GoDuration {
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L, // U+00B5 micro sign
          "μs", 1_000L, // U+03BC Greek mu
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  /** Go's limit: a duration is an int64 count of nanoseconds (about 290 years). */
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** The duration, or null when the text is not one. */
  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT); // "1H" was accepted before Go's syntax
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      return null;
    }
    if (isBareNumber(s)) {
      return toDuration(new BigDecimal(s).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get("s"))));
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String number = s.substring(numberStart, unitStart);
      Long unit = NANOS_PER_UNIT.get(s.substring(unitStart, i));
      if (unit == null || !isBareNumber(number)) {
        return null;
      }
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
    }
    return toDuration(nanos);
  }

  /** Digits with at most one dot and at least one digit: "1", "1.5", ".5", "5." as Go accepts. */
  private static boolean isBareNumber(String s) {
    int digits = 0;
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.') {
        dots++;
      } else {
        return false;
      }
    }
    return digits > 0 && dots <= 1;
  }

  private static Duration toDuration(BigDecimal nanos) {
    BigInteger whole = nanos.toBigInteger();
    return whole.compareTo(MAX_NANOS) > 0 ? null : Duration.ofNanos(whole.longValueExact());
  }
}
