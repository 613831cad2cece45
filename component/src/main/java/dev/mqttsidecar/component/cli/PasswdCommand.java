package dev.mqttsidecar.component.cli;

import dev.mqttsidecar.security.password.PasswordFile;
import dev.mqttsidecar.security.password.PasswordFileEditor;
import dev.mqttsidecar.security.password.PasswordFileEditor.Change;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mqtt-sidecar passwd FILE USER}: adds a user to a password file or changes its password;
 * {@code --delete} removes it. The password is read from stdin: typed twice without echo on a
 * terminal, else the first line of the input (so scripts can pipe it in).
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Adds USER to the password FILE (created if missing) or changes its password;"
          + " --delete removes USER.",
      "The password is read from stdin: asked for twice on a terminal, else the first line."
          + " Hashes are PBKDF2-SHA512 in Mosquitto's format ($7$). The file is replaced"
          + " atomically with owner-only permissions; a running sidecar reads it again."
    })
public final class PasswdCommand implements Callable<Integer> {
  /** Longest password line read from a pipe: a bound, not a policy. */
  private static final int MAX_PASSWORD_CHARS = 65_535;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The password file.")
  Path file;

  @Parameters(index = "1", paramLabel = "USER", description = "The user name.")
  String user;

  @Option(names = "--delete", description = "Remove USER instead of setting its password.")
  boolean delete;

  @Override
  public Integer call() throws IOException {
    try {
      return edit();
    } catch (NoSuchFileException | AccessDeniedException e) {
      spec.commandLine()
          .getErr()
          .println(
              "mqtt-sidecar passwd: cannot write "
                  + file
                  + ": "
                  + (e instanceof AccessDeniedException ? "permission denied" : "no such folder"));
      return 1;
    }
  }

  private int edit() throws IOException {
    String problem = PasswordFile.usernameProblem(user);
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), "USER: " + problem);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (delete) {
      if (PasswordFileEditor.delete(file, user) == Change.NOT_FOUND) {
        err.println("mqtt-sidecar passwd: " + file + " has no user " + user);
        return 1;
      }
      out.println("deleted user " + user + " from " + file);
      return 0;
    }
    char[] password = readPassword(err);
    if (password == null) {
      return 1;
    }
    try {
      Change change = PasswordFileEditor.setPassword(file, user, password);
      out.println(
          change == Change.ADDED
              ? "added user " + user + " to " + file
              : "changed the password of user " + user + " in " + file);
      return 0;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** The new password, or null after telling why there is none. */
  private static char[] readPassword(PrintWriter err) throws IOException {
    Console console = System.console();
    char[] password;
    if (console != null) {
      password = console.readPassword("Password: ");
      char[] again = password == null ? null : console.readPassword("Repeat the password: ");
      boolean same = again != null && Arrays.equals(password, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        err.println("mqtt-sidecar passwd: the passwords differ; nothing changed");
        return null;
      }
    } else {
      password = firstLine(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    if (password == null || password.length == 0) {
      err.println("mqtt-sidecar passwd: the password is empty; nothing changed");
      return null;
    }
    return password;
  }

  /** The first line of {@code in}, without its line ending, or null if it is too long. */
  private static char[] firstLine(Reader in) throws IOException {
    char[] buffer = new char[MAX_PASSWORD_CHARS + 1];
    int length = 0;
    int c;
    while (length < buffer.length && (c = in.read()) != -1 && c != '\n') {
      buffer[length++] = (char) c;
    }
    if (length == buffer.length) {
      Arrays.fill(buffer, '\0');
      throw new IOException("the password is longer than " + MAX_PASSWORD_CHARS + " characters");
    }
    if (length > 0 && buffer[length - 1] == '\r') {
      length--;
    }
    char[] password = Arrays.copyOf(buffer, length);
    Arrays.fill(buffer, '\0');
    return password;
  }
}
