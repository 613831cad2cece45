package dev.mqttsidecar.bench.report;

import java.util.Locale;

/** Formatting shared by the result files: plain numbers, no commas inside fields. */
public final class Csv {
  private Csv() {}

  public static String text(String s) {
    return s.replace(',', ';').replace('"', '\'').replace('\n', ' ');
  }

  public static String num(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%.1f", d);
  }

  /**
   * A fraction with four decimals (-1 stays -1): CPU shares such as 0.24 cores, where two decimals
   * would round away differences of a few percent that bench/metrics-cost compares.
   */
  public static String fraction(double d) {
    return d < 0 ? "-1" : String.format(Locale.ROOT, "%.4f", d);
  }

  /** Microseconds as "850us" or "12.3ms". */
  public static String micros(double us) {
    return us >= 10_000
        ? String.format(Locale.ROOT, "%.1fms", us / 1000)
        : String.format(Locale.ROOT, "%.0fus", us);
  }

  /** A flat JSON object from a CSV header and row: numbers stay numbers. */
  public static String json(String header, String row) {
    String[] names = header.split(",", -1);
    String[] values = row.split(",", -1);
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append('"').append(names[i]).append("\": ");
      String v = values[i];
      if (v.matches("-?[0-9]+(\\.[0-9]+)?")) {
        b.append(v);
      } else {
        b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return b.append('}').toString();
  }
}
