package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** The JSON message written by one of Jackson's binary data formats: CBOR or MessagePack. */
final class JacksonBinaryFormat implements OutputFormat {
  private final String name;
  private final ObjectMapper mapper;
  private final String contentType;

  private JacksonBinaryFormat(String name, ObjectMapper mapper, String contentType) {
    this.name = name;
    this.mapper = mapper;
    this.contentType = contentType;
  }

  /** CBOR, RFC 8949 (media type registered there, §9.5). */
  static JacksonBinaryFormat cbor() {
    return new JacksonBinaryFormat("CBOR", new ObjectMapper(new CBORFactory()), "application/cbor");
  }

  /** MessagePack; the media type most MessagePack libraries and brokers use. */
  static JacksonBinaryFormat messagePack() {
    return new JacksonBinaryFormat(
        "MessagePack", new ObjectMapper(new MessagePackFactory()), "application/msgpack");
  }

  @Override
  public boolean needsJson() {
    return true;
  }

  @Override
  public byte[] convert(byte[] payload, JsonNode json) {
    try {
      return mapper.writeValueAsBytes(OutputFormat.requireJson(json, name));
    } catch (JsonProcessingException e) {
      throw new FlowMessageException("cannot write " + name + ": " + e.getOriginalMessage());
    }
  }

  @Override
  public String contentType() {
    return contentType;
  }
}
