package dev.mqttsidecar.state.mqtt;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;

/**
 * Request and response bodies: the Dapr component protobuf messages, binary by default or in
 * protobuf's JSON mapping when the request's Content Type says {@code application/json} (but for a
 * query: {@link QueryRequestJson}).
 */
public final class StatePayloads {
  public static final String PROTOBUF = "application/x-protobuf";
  public static final String JSON = "application/json";

  private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer JSON_PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private StatePayloads() {}

  /** Whether a request's Content Type asks for JSON; null or PROTOBUF mean binary. */
  static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase().startsWith(JSON);
  }

  /** Whether a request's Content Type is one this service reads. */
  static boolean isKnown(String contentType) {
    return contentType == null || contentType.equals(PROTOBUF) || isJson(contentType);
  }

  static Message decode(byte[] payload, boolean json, Message prototype)
      throws InvalidProtocolBufferException {
    if (!json) {
      return prototype.getParserForType().parseFrom(payload);
    }
    Message.Builder builder = prototype.newBuilderForType();
    JSON_PARSER.merge(new String(payload, StandardCharsets.UTF_8), builder);
    return builder.build();
  }

  static byte[] encode(Message message, boolean json) {
    if (!json) {
      return message.toByteArray();
    }
    try {
      return JSON_PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print; the state messages have none.
      throw new IllegalStateException(e);
    }
  }
}
