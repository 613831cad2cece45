package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How a dataflow writes a message's payload at its destination. Every format but Raw converts from
 * the message parsed as JSON, with Jackson's data formats (protobuf's JSON mapping for Protobuf).
 */
public interface OutputFormat {
  List<String> NAMES =
      List.of("Raw", "JSON", "JSONStream", "CSV", "Protobuf", "MessagePack", "CBOR");

  /** Whether {@link #convert} needs the payload parsed as JSON. */
  boolean needsJson();

  /**
   * @param json the payload parsed, or null when {@link #needsJson} is false or it is not JSON
   * @throws FlowMessageException when this payload cannot be written in the format
   */
  byte[] convert(byte[] payload, JsonNode json);

  /** The MQTT 5 Content Type of the output, or null to keep the message's own. */
  String contentType();

  /** The format called {@code name} in the configuration file, with its default settings. */
  static OutputFormat named(String name) {
    return create(name, FormatOptions.DEFAULTS);
  }

  /**
   * The format called {@code name} in the configuration file.
   *
   * @throws FormatSettingException for an unknown name or a wrong setting (a descriptor file that
   *     cannot be read, a message type it does not have)
   */
  static OutputFormat create(String name, FormatOptions options) {
    return switch (name) {
      case "Raw" -> new RawFormat();
      case "JSON" -> new JsonFormat();
      case "JSONStream" -> new JsonStreamFormat();
      case "CSV" -> new CsvFormat(options.csvHeader(), options.csvColumns());
      case "Protobuf" ->
          ProtobufFormat.load(
              options.protobufDescriptorFile(),
              options.protobufMessageType(),
              options.protobufIgnoreUnknownFields());
      case "MessagePack" -> JacksonBinaryFormat.messagePack();
      case "CBOR" -> JacksonBinaryFormat.cbor();
      default ->
          throw new FormatSettingException(
              "format", "must be one of " + String.join(", ", NAMES) + ", was '" + name + "'");
    };
  }

  /** The parsed message, or a refusal naming the format when the payload is not JSON. */
  static JsonNode requireJson(JsonNode json, String format) {
    if (json == null || json.isMissingNode()) { // Jackson reads an empty payload as missing
      throw new FlowMessageException(
          "the payload is not valid JSON, so it cannot become " + format);
    }
    return json;
  }
}
