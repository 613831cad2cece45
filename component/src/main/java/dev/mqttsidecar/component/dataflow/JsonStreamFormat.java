package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Newline-delimited JSON: a JSON array becomes one line per element, anything else one line. Each
 * line ends with {@code \n}, so outputs can be concatenated.
 */
final class JsonStreamFormat implements OutputFormat {
  private static final ObjectWriter LINES =
      new ObjectMapper().writer().withRootValueSeparator("\n");

  @Override
  public boolean needsJson() {
    return true;
  }

  @Override
  public byte[] convert(byte[] payload, JsonNode json) {
    OutputFormat.requireJson(json, "JSONStream");
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16);
    try (SequenceWriter writer = LINES.writeValues(out)) {
      if (json.isArray()) {
        for (JsonNode element : json) {
          writer.write(element);
        }
      } else {
        writer.write(json);
      }
    } catch (IOException e) {
      throw new FlowMessageException("cannot write JSONStream: " + e.getMessage());
    }
    if (out.size() > 0) {
      out.write('\n');
    }
    return out.toByteArray();
  }

  @Override
  public String contentType() {
    return "application/x-ndjson";
  }
}
