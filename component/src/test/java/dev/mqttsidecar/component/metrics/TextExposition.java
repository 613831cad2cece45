package dev.mqttsidecar.component.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, written from the format's description and
 * sharing nothing with the code that writes it: every line must be a {@code # HELP}, a {@code #
 * TYPE} or a sample of the family declared last; label values are unescaped; a family is declared
 * once. Anything else fails.
 */
final class TextExposition {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile(
          "(" + NAME + ")(\\{.*})? (NaN|[+-]Inf|[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  /** Sample key: name and its labels sorted, values unescaped ({@code name{a="x",b="y"}}). */
  final Map<String, Double> samples = new TreeMap<>();

  final Map<String, String> types = new LinkedHashMap<>();
  final Map<String, String> helps = new LinkedHashMap<>();

  static TextExposition parse(String text) {
    TextExposition parsed = new TextExposition();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the last line does not end with a newline");
    }
    String family = null;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        family = m.group(1);
        require(parsed.helps.put(family, unescape(m.group(2))) == null, "HELP twice", line);
      } else if ((m = TYPE.matcher(line)).matches()) {
        require(m.group(1).equals(family), "TYPE without its HELP before", line);
        require(parsed.types.put(family, m.group(2)) == null, "TYPE twice", line);
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        require(
            family != null && belongs(m.group(1), family, parsed.types.get(family)),
            "a sample outside its family " + family,
            line);
        String key = m.group(1) + labels(m.group(2) == null ? "" : m.group(2), line);
        require(parsed.samples.put(key, value(m.group(3))) == null, "a sample twice", line);
      } else {
        throw new IllegalArgumentException("not a line of the text format: " + line);
      }
    }
    return parsed;
  }

  private static boolean belongs(String sample, String family, String type) {
    return switch (type == null ? "" : type) {
      case "histogram" ->
          sample.equals(family + "_bucket")
              || sample.equals(family + "_count")
              || sample.equals(family + "_sum");
      case "summary" ->
          sample.equals(family)
              || sample.equals(family + "_count")
              || sample.equals(family + "_sum");
      case "counter", "gauge", "untyped" -> sample.equals(family);
      default -> false;
    };
  }

  private static String labels(String block, String line) {
    if (block.isEmpty()) {
      return "";
    }
    Map<String, String> labels = new TreeMap<>();
    int i = 1;
    int end = block.length() - 1;
    while (i < end) {
      Matcher m = LABEL.matcher(block).region(i, end);
      require(m.lookingAt(), "a malformed label", line);
      StringBuilder value = new StringBuilder();
      int j = m.end();
      for (; j < end && block.charAt(j) != '"'; j++) {
        char c = block.charAt(j);
        if (c == '\\') {
          char next = block.charAt(++j);
          require(next == '\\' || next == '"' || next == 'n', "a bad escape", line);
          value.append(next == 'n' ? '\n' : next);
        } else {
          require(c != '\n', "a raw newline", line);
          value.append(c);
        }
      }
      require(j < end, "an unterminated label value", line);
      require(labels.put(m.group(1), value.toString()) == null, "a label twice", line);
      i = j + 1;
      if (i < end) {
        require(block.charAt(i) == ',', "labels not separated by a comma", line);
        i++;
      }
    }
    StringBuilder key = new StringBuilder("{");
    labels.forEach(
        (k, v) ->
            key.append(key.length() > 1 ? "," : "")
                .append(k)
                .append("=\"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                .append('"'));
    return key.append('}').toString();
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** HELP text escapes only backslash and newline. */
  private static String unescape(String help) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      if (c == '\\' && i + 1 < help.length() && "n\\".indexOf(help.charAt(i + 1)) >= 0) {
        out.append(help.charAt(++i) == 'n' ? '\n' : '\\');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void require(boolean condition, String problem, String line) {
    if (!condition) {
      throw new IllegalArgumentException(problem + ": " + line);
    }
  }
}
