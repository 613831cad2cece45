package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a dataflow writes a message's payload at its destination. A format converting from JSON gets
 * the parsed message; new formats (CSV, Protobuf, MessagePack, CBOR with Jackson's data formats)
 * implement this and register in {@link #named}.
 */
public interface OutputFormat {

  /** Whether {@link #convert} needs the payload parsed as JSON. */
  boolean needsJson();

  /**
   * @param json the payload parsed, or null when {@link #needsJson} is false or it is not JSON
   * @throws FlowMessageException when this payload cannot be written in the format
   */
  byte[] convert(byte[] payload, JsonNode json);

  /** The MQTT 5 Content Type of the output, or null to keep the message's own. */
  String contentType();

  /**
   * The format called {@code name} in the configuration file.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  static OutputFormat named(String name) {
    return switch (name) {
      case "Raw" -> new RawFormat();
      case "JSON" -> new JsonFormat();
      default ->
          throw new IllegalArgumentException(
              "must be Raw or JSON, was '" + name + "' (more formats come in a later version)");
    };
  }
}
