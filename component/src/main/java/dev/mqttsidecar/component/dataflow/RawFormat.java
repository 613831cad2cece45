package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.databind.JsonNode;

/** The payload exactly as it came. */
final class RawFormat implements OutputFormat {
  @Override
  public boolean needsJson() {
    return false;
  }

  @Override
  public byte[] convert(byte[] payload, JsonNode json) {
    return payload;
  }

  @Override
  public String contentType() {
    return null;
  }
}
