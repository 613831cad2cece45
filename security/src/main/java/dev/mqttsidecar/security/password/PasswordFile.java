package dev.mqttsidecar.security.password;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a password file: one {@code username:hash} per line, as Mosquitto's. Blank lines
 * and lines starting with {@code #} are ignored; the user name ends at the first {@code :}.
 */
public final class PasswordFile {
  private final Map<String, PasswordHash> users;

  private PasswordFile(Map<String, PasswordHash> users) {
    this.users = Map.copyOf(users);
  }

  /**
   * Parses the file's bytes (UTF-8).
   *
   * @throws IllegalArgumentException naming the first bad line and what is wrong with it
   */
  public static PasswordFile parse(byte[] content) {
    return parse(new String(content, StandardCharsets.UTF_8).lines().toList());
  }

  static PasswordFile parse(List<String> lines) {
    Map<String, PasswordHash> users = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (isComment(line)) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("line " + (i + 1) + ": expected username:hash");
      }
      String user = line.substring(0, colon);
      if (users.containsKey(user)) {
        throw new IllegalArgumentException("line " + (i + 1) + ": user " + user + " again");
      }
      try {
        users.put(user, PasswordHash.parse(line.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + " (user " + user + "): " + e.getMessage(), e);
      }
    }
    return new PasswordFile(users);
  }

  /** The user's hash, or null for a user the file does not name. */
  public PasswordHash hashOf(String username) {
    return users.get(username);
  }

  public int size() {
    return users.size();
  }

  /** The highest PBKDF2 iteration count of the file's hashes; 1 without any. */
  int maxIterations() {
    return users.values().stream().mapToInt(PasswordHash::iterations).max().orElse(1);
  }

  /** Whether a (stripped) line holds no user. */
  static boolean isComment(String strippedLine) {
    return strippedLine.isEmpty() || strippedLine.startsWith("#");
  }

  /** The user name {@code line} is for, or null for a comment or a line without one. */
  static String userOf(String line) {
    String stripped = line.strip();
    int colon = stripped.indexOf(':');
    return isComment(stripped) || colon <= 0 ? null : stripped.substring(0, colon);
  }

  /**
   * Why {@code username} cannot be written to a password file (so read back as the same name), or
   * null if it can.
   */
  public static String usernameProblem(String username) {
    if (username == null || username.isEmpty()) {
      return "the user name is empty";
    }
    if (username.indexOf(':') >= 0) {
      return "a user name cannot contain ':'";
    }
    if (username.startsWith("#")) {
      return "a user name cannot start with '#' (that line would be a comment)";
    }
    if (!username.equals(username.strip())) {
      return "a user name cannot start or end with white space";
    }
    if (username.chars().anyMatch(Character::isISOControl)) {
      return "a user name cannot contain control characters";
    }
    if (username.getBytes(StandardCharsets.UTF_8).length > 65535) {
      return "a user name has at most 65535 bytes in MQTT"; // [MQTT-1.5.3]
    }
    return null;
  }
}
