package dev.mqttsidecar.component.config;

import dev.mqttsidecar.component.dataflow.FormatOptions;
import dev.mqttsidecar.component.dataflow.FormatSettingException;
import dev.mqttsidecar.component.dataflow.OutputFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataflow's {@code format} with its {@code csv} or {@code protobuf} settings, checked at start
 * by building the format once (a descriptor set that cannot be read stops the start, not the flow).
 */
final class FormatBinder {
  private final Checks checks;

  FormatBinder(Checks checks) {
    this.checks = checks;
  }

  FormatOptions bind(
      String key, String format, DataflowsDocument.Csv csv, DataflowsDocument.Protobuf protobuf)
      throws ConfigException {
    if (csv != null && !format.equals("CSV")) {
      throw checks.error(key + ".csv", "only with format CSV (format is " + format + ")");
    }
    if (protobuf != null && !format.equals("Protobuf")) {
      throw checks.error(key + ".protobuf", "only with format Protobuf (format is " + format + ")");
    }
    FormatOptions options = options(key, csv, protobuf);
    try {
      OutputFormat.create(format, options);
    } catch (FormatSettingException e) {
      throw checks.error(key + "." + e.key(), e.getMessage());
    }
    return options;
  }

  private FormatOptions options(
      String key, DataflowsDocument.Csv csv, DataflowsDocument.Protobuf protobuf)
      throws ConfigException {
    FormatOptions defaults = FormatOptions.DEFAULTS;
    boolean header = csv == null || csv.header() == null ? defaults.csvHeader() : csv.header();
    List<String> columns = csv == null || csv.columns() == null ? List.of() : csv.columns();
    for (int i = 0; i < columns.size(); i++) {
      checks.required(key + ".csv.columns[" + i + "]", columns.get(i));
      checks.text(key + ".csv.columns[" + i + "]", columns.get(i));
    }
    if (protobuf == null) {
      return new FormatOptions(header, columns, null, null, false);
    }
    Path descriptor =
        checks.existingFile(key + ".protobuf.descriptorFile", protobuf.descriptorFile());
    String type = checks.text(key + ".protobuf.messageType", protobuf.messageType());
    String unknown = protobuf.unknownFields() == null ? "Refuse" : protobuf.unknownFields();
    if (!unknown.equals("Refuse") && !unknown.equals("Ignore")) {
      throw checks.error(
          key + ".protobuf.unknownFields", "must be Refuse or Ignore, was '" + unknown + "'");
    }
    return new FormatOptions(header, columns, descriptor, type, unknown.equals("Ignore"));
  }
}
