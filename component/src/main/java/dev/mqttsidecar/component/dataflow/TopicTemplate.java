package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsidecar.component.endpoint.TopicFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A destination topic: static text with {@code ${n}} (the n-th level of the source topic, from 1)
 * and {@code ${.field.sub}} (a string or number field of the JSON message) anywhere in it.
 */
public final class TopicTemplate {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern LEVEL = Pattern.compile("[1-9][0-9]{0,3}");
  private static final Pattern FIELD = Pattern.compile("(\\.[^.\\s]+)+");

  private sealed interface Part {}

  private record Text(String text) implements Part {}

  private record Level(int number) implements Part {}

  private record Field(String path, List<String> names) implements Part {}

  private final String text;
  private final List<Part> parts;

  private TopicTemplate(String text, List<Part> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
  }

  /**
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static TopicTemplate parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    List<Part> parts = new ArrayList<>();
    Matcher m = REFERENCE.matcher(text);
    int at = 0;
    while (m.find()) {
      literal(text.substring(at, m.start()), parts);
      String ref = m.group(1);
      if (LEVEL.matcher(ref).matches()) {
        parts.add(new Level(Integer.parseInt(ref)));
      } else if (FIELD.matcher(ref).matches()) {
        parts.add(new Field(ref, List.of(ref.substring(1).split("\\."))));
      } else {
        throw new IllegalArgumentException(
            "'${"
                + ref
                + "}' in '"
                + text
                + "': write ${n} for the n-th level of the source topic (from 1) or ${.field}"
                + " for a field of the JSON message");
      }
      at = m.end();
    }
    literal(text.substring(at), parts);
    return new TopicTemplate(text, parts);
  }

  /** The template that takes the whole topic from a JSON field ({@code .site}). */
  public static TopicTemplate fromField(String path) {
    if (!FIELD.matcher(path).matches()) {
      throw new IllegalArgumentException(
          "'" + path + "' is not a field path such as .site or .a.b");
    }
    return parse("${" + path + "}");
  }

  private static void literal(String text, List<Part> parts) {
    if (text.contains("+")
        || text.contains("#")
        || text.contains("${")
        || text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "'" + text + "': a topic name has no wildcards (+, #) and no unclosed ${");
    }
    if (!text.isEmpty()) {
      parts.add(new Text(text));
    }
  }

  /** Whether resolving needs the message parsed as JSON. */
  public boolean needsJson() {
    return parts.stream().anyMatch(p -> p instanceof Field);
  }

  /** The highest source level referred to, or 0. */
  public int maxLevel() {
    return parts.stream().mapToInt(p -> p instanceof Level l ? l.number() : 0).max().orElse(0);
  }

  /**
   * The topic for a message.
   *
   * @param json the message as JSON, or null when it is not (needed only if {@link #needsJson})
   * @throws FlowMessageException when the source topic or the message lacks what is referred to
   */
  public String resolve(String sourceTopic, JsonNode json) {
    StringBuilder topic = new StringBuilder();
    String[] levels = null;
    for (Part part : parts) {
      if (part instanceof Text t) {
        topic.append(t.text());
      } else if (part instanceof Level l) {
        levels = levels != null ? levels : sourceTopic.split("/", -1);
        if (l.number() > levels.length) {
          throw new FlowMessageException(
              "topic '" + sourceTopic + "' has no level " + l.number() + " for '" + text + "'");
        }
        topic.append(levels[l.number() - 1]);
      } else if (part instanceof Field f) {
        topic.append(field(f, json));
      }
    }
    String result = topic.toString();
    if (result.isEmpty()
        || !TopicFilters.isValid(result)
        || result.contains("+")
        || result.contains("#")) {
      throw new FlowMessageException("'" + text + "' gave '" + result + "', not a topic name");
    }
    return result;
  }

  private static String field(Field f, JsonNode json) {
    if (json == null) {
      throw new FlowMessageException("the message is not JSON, so it has no field " + f.path());
    }
    JsonNode node = json;
    for (String name : f.names()) {
      node = node.isObject() ? node.get(name) : null;
      if (node == null) {
        throw new FlowMessageException("the message has no field " + f.path());
      }
    }
    if (!node.isTextual() && !node.isNumber()) {
      throw new FlowMessageException("field " + f.path() + " is not a string or a number");
    }
    String value = node.asText();
    if (value.isEmpty()) {
      throw new FlowMessageException("field " + f.path() + " is empty");
    }
    return value;
  }

  /**
   * A filter every topic this template can give matches: a source level becomes {@code +}, a JSON
   * field (whose value may hold slashes) ends the filter with {@code #}.
   */
  public String coveringFilter() {
    StringBuilder filter = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Text t) {
        filter.append(t.text());
      } else if (part instanceof Level) {
        filter.append('+');
      } else {
        return filter.append('#').toString().replaceAll("[^/]+#$", "#");
      }
    }
    // "a${1}" becomes "a+", which is no filter: any level holding a '+' is a wildcard level.
    return filter.toString().replaceAll("[^/]*\\+[^/]*", "+");
  }

  @Override
  public String toString() {
    return text;
  }
}
