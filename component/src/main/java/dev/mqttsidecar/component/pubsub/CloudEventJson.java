package dev.mqttsidecar.component.pubsub;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * JSON and content-type helpers for CloudEvents 1.0 in JSON format. JSON is UTF-8 (RFC 8259 §8.1):
 * bytes that are not well-formed UTF-8 are never taken for JSON, as Jackson would read them into
 * strings with unpaired surrogates that it then writes as JSON nobody can parse.
 */
final class CloudEventJson {
  static final String CONTENT_TYPE = "application/cloudevents+json";
  static final String OCTET_STREAM = "application/octet-stream";
  static final String SPEC_VERSION = "specversion";
  static final String DATA = "data";
  static final String DATA_BASE64 = "data_base64";
  static final String DATA_CONTENT_TYPE = "datacontenttype";

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private CloudEventJson() {}

  /**
   * Whether {@code payload} is a JSON object with a top-level string {@code specversion}. Reads
   * only the top level, skipping nested values, so large events are cheap to classify.
   */
  static boolean isCloudEvent(byte[] payload) {
    if (!startsLikeObject(payload) || utf8OrNull(payload) == null) {
      return false;
    }
    try (JsonParser parser = FACTORY.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      boolean found = false;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (SPEC_VERSION.equals(name) && value == JsonToken.VALUE_STRING) {
          found = true;
        }
        parser.skipChildren();
      }
      // The whole object must be well-formed, or daprd would fail to parse it.
      return found && token == JsonToken.END_OBJECT && parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  /** The payload as a JSON object, or null if it is not one. */
  static ObjectNode parseObject(byte[] payload) {
    if (!startsLikeObject(payload) || utf8OrNull(payload) == null) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(payload);
      return node instanceof ObjectNode object ? object : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The payload as any JSON value, or null if it is not valid JSON. */
  static JsonNode parseValue(byte[] payload) {
    if (payload.length == 0 || utf8OrNull(payload) == null) {
      return null;
    }
    try (JsonParser parser = FACTORY.createParser(payload)) {
      JsonNode node = MAPPER.readTree(parser);
      return node != null && parser.nextToken() == null ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The payload as text, or null when it is not well-formed UTF-8. */
  static String utf8OrNull(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize JSON", e);
    }
  }

  /** application/json, text/json or any {@code +json} type, parameters ignored. */
  static boolean isJson(String contentType) {
    String base = baseType(contentType);
    return base.equals("application/json") || base.equals("text/json") || base.endsWith("+json");
  }

  /** text/*, XML: types whose CloudEvent data is a JSON string. */
  static boolean isText(String contentType) {
    String base = baseType(contentType);
    return base.startsWith("text/") || base.equals("application/xml") || base.endsWith("+xml");
  }

  static boolean isCloudEventContentType(String contentType) {
    return baseType(contentType).equals(CONTENT_TYPE);
  }

  private static String baseType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String base = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return base.trim().toLowerCase(Locale.ROOT);
  }

  private static boolean startsLikeObject(byte[] payload) {
    for (byte b : payload) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return false;
  }
}
