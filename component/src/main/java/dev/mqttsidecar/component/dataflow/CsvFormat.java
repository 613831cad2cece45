package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CSV written by jackson-dataformat-csv: a JSON object is one row, an array of objects one row
 * each. Nested fields are flattened to {@code a.b.c} (array elements to {@code a.0}, {@code a.1}).
 * The columns are the configured ones, or every field in the order the rows bring them; a row
 * without a column's field leaves its cell empty.
 */
final class CsvFormat implements OutputFormat {
  // A configured column list may leave out fields the message has: those are not written.
  private static final CsvMapper MAPPER =
      CsvMapper.builder().enable(JsonGenerator.Feature.IGNORE_UNKNOWN).build();

  private final boolean header;
  private final List<String> columns;

  CsvFormat(boolean header, List<String> columns) {
    this.header = header;
    this.columns = List.copyOf(columns);
  }

  @Override
  public boolean needsJson() {
    return true;
  }

  @Override
  public byte[] convert(byte[] payload, JsonNode json) {
    OutputFormat.requireJson(json, "CSV");
    List<Map<String, String>> rows = new ArrayList<>();
    if (json.isArray()) {
      json.forEach(element -> rows.add(row(element)));
    } else {
      rows.add(row(json));
    }
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(header);
    columnsOf(rows).forEach(schema::addColumn);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16);
    try (SequenceWriter writer = MAPPER.writer(schema.build()).writeValues(out)) {
      writer.writeAll(rows);
    } catch (IOException e) {
      throw new FlowMessageException("cannot write CSV: " + e.getMessage());
    }
    return out.toByteArray();
  }

  private Set<String> columnsOf(List<Map<String, String>> rows) {
    if (!columns.isEmpty()) {
      return new LinkedHashSet<>(columns);
    }
    Set<String> found = new LinkedHashSet<>();
    rows.forEach(row -> found.addAll(row.keySet()));
    return found;
  }

  private static Map<String, String> row(JsonNode node) {
    if (!node.isObject()) {
      throw new FlowMessageException(
          "CSV needs a JSON object or an array of objects, found " + node.getNodeType());
    }
    Map<String, String> row = new LinkedHashMap<>();
    flatten("", node, row);
    return row;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> row) {
    if (node.isObject()) {
      node.properties().forEach(f -> flatten(prefix + f.getKey() + ".", f.getValue(), row));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(prefix + i + ".", node.get(i), row);
      }
    } else {
      String column = prefix.substring(0, prefix.length() - 1);
      row.put(column, node.isNull() ? "" : node.asText());
    }
  }

  @Override
  public String contentType() {
    return "text/csv"; // RFC 4180
  }
}
