package dev.mqttsidecar.component.metrics;

import io.micrometer.core.instrument.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Prometheus text exposition format 0.0.4: the metadata lines of a family and the part of a
 * sample line before its value, escaped as the format requires (HELP: {@code \\} and newline; label
 * values: {@code \\}, {@code "} and newline). Everything here is computed once per series and kept
 * as bytes; only the values are written per scrape.
 */
final class TextFormat {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private TextFormat() {}

  /** {@code # HELP name help\n# TYPE name type\n}; Micrometer's help for a meter without one. */
  static byte[] header(String name, String type, String help) {
    String text = help == null || help.isEmpty() ? " " : help;
    return utf8(
        "# HELP " + name + " " + escape(text, false) + "\n# TYPE " + name + " " + type + "\n");
  }

  /** {@code name{k="v",...} }, with an extra label last (such as {@code le}) when not null. */
  static byte[] samplePrefix(String name, List<Tag> labels, String extraKey, String extraValue) {
    StringBuilder line = new StringBuilder(name);
    if (!labels.isEmpty() || extraKey != null) {
      line.append('{');
      String separator = "";
      for (Tag label : labels) {
        line.append(separator).append(label.getKey()).append("=\"");
        line.append(escape(label.getValue(), true)).append('"');
        separator = ",";
      }
      if (extraKey != null) {
        line.append(separator).append(extraKey).append("=\"").append(extraValue).append('"');
      }
      line.append('}');
    }
    return utf8(line.append(' ').toString());
  }

  /** A bucket's upper bound as the Prometheus client writes it ({@code 0.001}, {@code 5.0}). */
  static String bound(double value) {
    return value == Double.POSITIVE_INFINITY ? "+Inf" : Double.toString(value);
  }

  private static String escape(String text, boolean labelValue) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement =
          switch (c) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '"' -> labelValue ? "\\\"" : null;
            default -> null;
          };
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
