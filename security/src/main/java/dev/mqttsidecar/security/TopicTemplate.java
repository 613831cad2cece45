package dev.mqttsidecar.security;

import dev.mqttsidecar.broker.ClientIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A topic filter with placeholders for the client: {@code ${client.id}}, {@code ${client.username}}
 * and {@code ${client.certCommonName}}. Parsed and checked once; {@link #expand} fills it in for
 * one client.
 */
final class TopicTemplate {

  /** The placeholders and the identity field each stands for. */
  private enum Variable {
    ID("client.id", ClientIdentity::clientId),
    USERNAME("client.username", ClientIdentity::username),
    CERT_COMMON_NAME("client.certCommonName", ClientIdentity::certCommonName);

    final String name;
    final Function<ClientIdentity, String> value;

    Variable(String name, Function<ClientIdentity, String> value) {
      this.name = name;
      this.value = value;
    }

    static Variable named(String name) {
      for (Variable v : values()) {
        if (v.name.equals(name)) {
          return v;
        }
      }
      return null;
    }
  }

  /** Literal text, or a placeholder when {@code variable} is set. */
  private record Part(String text, Variable variable) {}

  private final String source;
  private final Part[] parts;

  private TopicTemplate(String source, Part[] parts) {
    this.source = source;
    this.parts = parts;
  }

  /** Parses {@code source}; IllegalArgumentException for an unknown or unterminated placeholder. */
  static TopicTemplate parse(String source) {
    List<Part> parts = new ArrayList<>();
    int from = 0;
    while (from < source.length()) {
      int open = source.indexOf("${", from);
      if (open < 0) {
        parts.add(new Part(source.substring(from), null));
        break;
      }
      if (open > from) {
        parts.add(new Part(source.substring(from, open), null));
      }
      int close = source.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("unterminated '${' in \"" + source + "\"");
      }
      String name = source.substring(open + 2, close);
      Variable v = Variable.named(name);
      if (v == null) {
        throw new IllegalArgumentException(
            "unknown placeholder ${"
                + name
                + "} in \""
                + source
                + "\" (known: ${client.id}, ${client.username}, ${client.certCommonName})");
      }
      parts.add(new Part(null, v));
      from = close + 1;
    }
    return new TopicTemplate(source, parts.toArray(new Part[0]));
  }

  boolean hasPlaceholders() {
    for (Part p : parts) {
      if (p.variable != null) {
        return true;
      }
    }
    return false;
  }

  /** The template with every placeholder replaced by a plain level name, for syntax checks. */
  String sample() {
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      b.append(p.variable == null ? p.text : "x");
    }
    return b.toString();
  }

  /**
   * The filter for {@code client}, or null when the template grants that client nothing: a value
   * that is missing or empty, or contains {@code +}, {@code #}, {@code /} or U+0000, would change
   * the filter's shape (a client id {@code #} must not become a grant of everything), and one at
   * the very start that begins with {@code $} would move the grant into the broker's own topics.
   */
  String expand(ClientIdentity client) {
    if (parts.length == 1 && parts[0].variable == null) {
      return source;
    }
    StringBuilder b = new StringBuilder(source.length() + 32);
    for (int i = 0; i < parts.length; i++) {
      Part p = parts[i];
      if (p.variable == null) {
        b.append(p.text);
        continue;
      }
      String value = p.variable.value.apply(client);
      if (!isSafe(value) || (i == 0 && value.startsWith("$"))) {
        return null;
      }
      b.append(value);
    }
    return b.toString();
  }

  private static boolean isSafe(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '+' || c == '#' || c == '/' || c == '\u0000') {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return source;
  }
}
