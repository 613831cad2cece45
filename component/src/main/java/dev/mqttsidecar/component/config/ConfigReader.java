package dev.mqttsidecar.component.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the YAML file into a {@link ConfigDocument}, strictly: an unknown key, a duplicate key, a
 * second document or a value of the wrong type is an error, and a scalar is never converted into
 * another type ({@code "1883"} is not a port, {@code 1.0} is not an integer, {@code 123} is not a
 * name). Every error becomes one {@link ConfigException} line naming the key.
 */
final class ConfigReader {
  private static final YAMLMapper MAPPER = strictMapper();

  private ConfigReader() {}

  private static YAMLMapper strictMapper() {
    YAMLMapper mapper =
        YAMLMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    // Numbers and booleans are not strings either: "port: 1883" under a string key is a mistake.
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  /** Reads {@code file}; {@code source} is how messages name it. */
  static ConfigDocument read(Path file, String source) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, null, "file not found");
    } catch (IOException e) {
      throw new ConfigException(source, null, "cannot read the file: " + e.getMessage());
    }
    return parse(text, source);
  }

  /** Parses YAML text; {@code source} is how messages name it. */
  static ConfigDocument parse(String text, String source) throws ConfigException {
    try (JsonParser parser = MAPPER.createParser(text)) {
      try {
        if (parser.nextToken() == null) {
          return ConfigDocument.EMPTY; // empty, or only comments: every default
        }
        ConfigDocument document = MAPPER.readValue(parser, ConfigDocument.class);
        if (parser.nextToken() != null) {
          throw new ConfigException(
              source, null, "more than one YAML document (---); write one document");
        }
        return document;
      } catch (JsonProcessingException e) {
        // Described before the parser closes: the message quotes the token it stopped at.
        throw new ConfigException(source, keyOf(e), describe(e));
      }
    } catch (IOException e) {
      throw new ConfigException(source, null, "cannot read the file: " + e.getMessage());
    }
  }

  private static String keyOf(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      return null;
    }
    List<JsonMappingException.Reference> path = mapping.getPath();
    if (e instanceof UnrecognizedPropertyException) {
      path = path.subList(0, Math.max(0, path.size() - 1)); // the mapping holding the unknown key
    }
    StringBuilder key = new StringBuilder();
    for (JsonMappingException.Reference reference : path) {
      if (reference.getFieldName() != null) {
        key.append(key.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else {
        key.append('[').append(reference.getIndex()).append(']');
      }
    }
    return key.toString();
  }

  private static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown key '"
          + unknown.getPropertyName()
          + "' (known keys: "
          + sorted(unknown.getKnownPropertyIds())
          + ")";
    }
    if (e.getCause() instanceof InputCoercionException || e instanceof InputCoercionException) {
      return "number out of range: " + valueText(e);
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "expected " + expected(mismatch.getTargetType()) + ", got " + valueText(e);
    }
    return syntaxError(e);
  }

  /** A YAML syntax error or duplicate key: where it is, and the parser's first line about it. */
  private static String syntaxError(JsonProcessingException e) {
    String problem = e.getOriginalMessage();
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
      problem = yaml.getProblem();
    }
    problem =
        problem == null ? e.getClass().getSimpleName() : problem.lines().findFirst().orElse("");
    if (problem.startsWith("Duplicate field ")) {
      problem = "duplicate key " + problem.substring("Duplicate field ".length());
    }
    JsonLocation location = e.getLocation();
    String where =
        location == null || location.getLineNr() < 1
            ? ""
            : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    return "invalid YAML: " + where + problem;
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string (put it in quotes)";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping of keys to values";
  }

  /** The offending value as written, from the token the parser stopped at. */
  private static String valueText(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser parser) || parser.currentToken() == null) {
      return "something else";
    }
    JsonToken token = parser.currentToken();
    try {
      return switch (token) {
        case START_ARRAY -> "a list";
        case START_OBJECT, FIELD_NAME -> "a mapping";
        case VALUE_STRING -> "\"" + parser.getText() + "\"";
        case VALUE_NULL -> "nothing";
        default -> parser.getText();
      };
    } catch (IOException unreadable) {
      return token.toString();
    }
  }

  private static String sorted(Collection<Object> keys) {
    return keys.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }
}
