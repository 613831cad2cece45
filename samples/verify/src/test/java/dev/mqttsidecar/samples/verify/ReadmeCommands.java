package dev.mqttsidecar.samples.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shell commands of a README: every line of its {@code sh}/{@code bash} code blocks, with
 * backslash continuations joined. Tests look commands up by what they start with, so a README that
 * drops or renames a command fails the test instead of silently running less.
 */
final class ReadmeCommands {
  private final Path readme;
  private final List<String> commands;

  private ReadmeCommands(Path readme, List<String> commands) {
    this.readme = readme;
    this.commands = commands;
  }

  static ReadmeCommands of(Path readme) throws IOException {
    List<String> commands = new ArrayList<>();
    boolean inShell = false;
    StringBuilder pending = new StringBuilder();
    for (String raw : Files.readAllLines(readme)) {
      String line = raw.trim();
      if (line.startsWith("```")) {
        inShell = !inShell && (line.equals("```sh") || line.equals("```bash"));
        continue;
      }
      if (!inShell || line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1);
        continue;
      }
      pending.append(line);
      commands.add(withoutComment(pending.toString()).replaceAll("\\s+", " ").trim());
      pending.setLength(0);
    }
    return new ReadmeCommands(readme, List.copyOf(commands));
  }

  /** "cmd args # what it does" -> "cmd args" (a '#' inside quotes is kept). */
  private static String withoutComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  List<String> all() {
    return commands;
  }

  /** The only command that starts with the prefix; fails when there is none or several. */
  String one(String prefix) {
    List<String> found = starting(prefix);
    if (found.size() != 1) {
      throw new AssertionError(
          readme + ": expected one command starting with '" + prefix + "', found " + found);
    }
    return found.get(0);
  }

  List<String> starting(String prefix) {
    return commands.stream().filter(c -> c.startsWith(prefix)).toList();
  }

  /** The value after a flag in a command ("--resources-path x" -> "x"). */
  static Optional<String> flag(String command, String flag) {
    String[] words = command.split(" ");
    for (int i = 0; i + 1 < words.length; i++) {
      if (words[i].equals(flag)) {
        return Optional.of(words[i + 1]);
      }
    }
    return Optional.empty();
  }
}
