package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON message written again by Jackson (compact, UTF-8); anything else is refused. */
final class JsonFormat implements OutputFormat {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public boolean needsJson() {
    return true;
  }

  @Override
  public byte[] convert(byte[] payload, JsonNode json) {
    try {
      return MAPPER.writeValueAsBytes(OutputFormat.requireJson(json, "JSON"));
    } catch (JsonProcessingException e) {
      throw new FlowMessageException("cannot write the payload as JSON: " + e.getMessage());
    }
  }

  @Override
  public String contentType() {
    return "application/json";
  }
}
