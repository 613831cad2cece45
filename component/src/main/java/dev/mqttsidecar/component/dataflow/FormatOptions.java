package dev.mqttsidecar.component.dataflow;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings of the formats that have some.
 *
 * @param csvHeader whether CSV output starts with a header line
 * @param csvColumns the CSV columns (flattened field names such as {@code a.b.c}) in order, or
 *     empty for the fields of the message in the order they come
 * @param protobufDescriptorFile a descriptor set made by {@code protoc --descriptor_set_out
 *     --include_imports}, or null
 * @param protobufMessageType the fully qualified message name in it, or null
 * @param protobufIgnoreUnknownFields whether JSON fields the message does not have are left out
 *     (true) or make the message unconvertible (false)
 */
public record FormatOptions(
    boolean csvHeader,
    List<String> csvColumns,
    Path protobufDescriptorFile,
    String protobufMessageType,
    boolean protobufIgnoreUnknownFields) {
  public static final FormatOptions DEFAULTS =
      new FormatOptions(true, List.of(), null, null, false);

  public FormatOptions {
    csvColumns = List.copyOf(csvColumns);
  }
}
