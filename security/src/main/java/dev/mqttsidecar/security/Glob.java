package dev.mqttsidecar.security;

/** A pattern in which {@code *} stands for any run of characters, possibly empty. */
final class Glob {
  private final String pattern;
  private final String[] parts; // the literal text between the stars

  Glob(String pattern) {
    this.pattern = pattern;
    this.parts = pattern.split("\\*", -1);
  }

  boolean matches(String value) {
    if (parts.length == 1) {
      return pattern.equals(value);
    }
    String first = parts[0];
    String last = parts[parts.length - 1];
    if (value.length() < first.length() + last.length()
        || !value.startsWith(first)
        || !value.endsWith(last)) {
      return false;
    }
    int from = first.length();
    int end = value.length() - last.length();
    for (int i = 1; i < parts.length - 1; i++) {
      int at = value.indexOf(parts[i], from);
      if (at < 0 || at + parts[i].length() > end) {
        return false;
      }
      from = at + parts[i].length();
    }
    return true;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
