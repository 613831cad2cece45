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
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * JSON and content-type helpers for CloudEvents 1.0 in JSON format, for the pub/sub component and
 * the dataflows. JSON is UTF-8 (RFC 8259 §8.1): bytes that are not well-formed UTF-8 are never
 * taken for JSON, as Jackson would read them into strings with unpaired surrogates that it then
 * writes as JSON nobody can parse.
 */
public final class CloudEventJson {
  public static final String CONTENT_TYPE = "application/cloudevents+json";
  public static final String OCTET_STREAM = "application/octet-stream";
  public static final String SPEC_VERSION = "specversion";
  public static final String DATA = "data";
  public static final String DATA_BASE64 = "data_base64";
  public static final String DATA_CONTENT_TYPE = "datacontenttype";

  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  /**
   * [CE 1.0 3.1.1] attribute names: lower-case letters and digits, at most 20 SHOULD be supported.
   */
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]{1,20}");

  private CloudEventJson() {}

  /** Whether a user property of this name can be a CloudEvent attribute (not {@code data}). */
  public static boolean isAttributeName(String name) {
    return ATTRIBUTE_NAME.matcher(name).matches() && !name.equals(DATA);
  }

  /**
   * Whether {@code payload} is a JSON object with a top-level string {@code specversion}. Reads
   * only the top level, skipping nested values, so large events are cheap to classify.
   */
  public static boolean isCloudEvent(byte[] payload) {
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
  public static ObjectNode parseObject(byte[] payload) {
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
  public static JsonNode parseValue(byte[] payload) {
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
  public static String utf8OrNull(byte[] payload) {
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

  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize JSON", e);
    }
  }

  /** application/json, text/json or any {@code +json} type, parameters ignored. */
  public static boolean isJson(String contentType) {
    String base = baseType(contentType);
    return base.equals("application/json") || base.equals("text/json") || base.endsWith("+json");
  }

  /** text/*, XML: types whose CloudEvent data is a JSON string. */
  public static boolean isText(String contentType) {
    String base = baseType(contentType);
    return base.startsWith("text/") || base.equals("application/xml") || base.endsWith("+xml");
  }

  public static boolean isCloudEventContentType(String contentType) {
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

  /**
   * Sets {@code data} (JSON value or string) or {@code data_base64}, and {@code datacontenttype}:
   * the given type, else JSON, UTF-8 text or bytes as the payload looks.
   */
  public static void putData(ObjectNode event, byte[] payload, String contentType) {
    if (contentType == null || isJson(contentType)) {
      JsonNode value = parseValue(payload);
      if (value != null) {
        event.put(DATA_CONTENT_TYPE, contentType != null ? contentType : "application/json");
        event.set(DATA, value);
        return;
      }
    }
    String text = contentType == null || isText(contentType) ? utf8OrNull(payload) : null;
    if (text != null) {
      event.put(DATA_CONTENT_TYPE, contentType != null ? contentType : "text/plain");
      event.put(DATA, text);
      return;
    }
    event.put(DATA_CONTENT_TYPE, contentType != null ? contentType : OCTET_STREAM);
    event.put(DATA_BASE64, Base64.getEncoder().encodeToString(payload));
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
