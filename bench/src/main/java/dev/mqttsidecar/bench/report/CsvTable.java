package dev.mqttsidecar.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A results CSV read back: rows as column-name maps, in file order. */
final class CsvTable {
  private CsvTable() {}

  /** The rows of {@code file}, or none if it does not exist. */
  static List<Map<String, String>> read(Path file) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    if (!Files.exists(file)) {
      return rows;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return rows;
    }
    String[] header = lines.get(0).split(",", -1);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank() || line.equals(lines.get(0))) {
        continue;
      }
      String[] values = line.split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length && i < values.length; i++) {
        row.put(header[i], values[i]);
      }
      rows.add(row);
    }
    return rows;
  }

  static double num(Map<String, String> row, String column) {
    String v = row.get(column);
    return v == null || v.isEmpty() ? 0 : Double.parseDouble(v);
  }
}
