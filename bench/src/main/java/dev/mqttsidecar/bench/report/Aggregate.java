package dev.mqttsidecar.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rounds of one run name against one broker, reduced to one row: medians for rates and
 * latencies (robust to one disturbed round), sums for losses, duplicates and errors (any counts).
 */
record Aggregate(String name, String label, List<Map<String, String>> rows) {
  private static final List<String> SUMMED =
      List.of("lost", "duplicates", "out_of_order", "errors", "sent", "expected");

  double get(String column) {
    double[] values = rows.stream().mapToDouble(r -> CsvTable.num(r, column)).toArray();
    if (SUMMED.contains(column)) {
      return Arrays.stream(values).sum();
    }
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  String text(String column) {
    return rows.get(0).getOrDefault(column, "");
  }

  int rounds() {
    return rows.size();
  }

  /** Groups rows by run name, then broker label, both in order of first appearance. */
  static Map<String, Map<String, Aggregate>> group(List<Map<String, String>> rows) {
    Map<String, Map<String, List<Map<String, String>>>> grouped = new LinkedHashMap<>();
    for (Map<String, String> row : rows) {
      grouped
          .computeIfAbsent(row.get("name"), k -> new LinkedHashMap<>())
          .computeIfAbsent(row.get("label"), k -> new ArrayList<>())
          .add(row);
    }
    Map<String, Map<String, Aggregate>> result = new LinkedHashMap<>();
    grouped.forEach(
        (name, byLabel) -> {
          Map<String, Aggregate> m = new LinkedHashMap<>();
          byLabel.forEach((label, list) -> m.put(label, new Aggregate(name, label, list)));
          result.put(name, m);
        });
    return result;
  }
}
