package dev.mqttsidecar.security.password;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds, changes and deletes users in a password file. The file is replaced atomically (a temporary
 * file in the same folder, owner-only permissions, flushed to disk, then renamed over it), so a
 * broker reading it meanwhile sees the old or the new file, never half of one. Other lines,
 * comments included, stay as they are.
 */
public final class PasswordFileEditor {
  /** What an edit did. */
  public enum Change {
    ADDED,
    CHANGED,
    DELETED,
    /** {@link #delete} of a user the file does not name: nothing was written. */
    NOT_FOUND
  }

  private PasswordFileEditor() {}

  /** Sets {@code username}'s password, hashed with the default iteration count. */
  public static Change setPassword(Path file, String username, char[] password) throws IOException {
    return setPassword(
        file,
        username,
        PasswordHash.create(password, PasswordHash.DEFAULT_ITERATIONS, new SecureRandom()));
  }

  /**
   * Adds {@code username} with {@code hash}, or replaces its hash; creates the file if missing.
   *
   * @throws IllegalArgumentException if the user name cannot be written to a password file
   */
  public static Change setPassword(Path file, String username, PasswordHash hash)
      throws IOException {
    requireWritable(username);
    List<String> lines = read(file);
    String entry = username + ":" + hash.encoded();
    List<String> out = new ArrayList<>();
    boolean found = false;
    for (String line : lines) {
      if (username.equals(PasswordFile.userOf(line))) {
        if (!found) {
          out.add(entry);
        }
        found = true;
      } else {
        out.add(line);
      }
    }
    if (!found) {
      out.add(entry);
    }
    write(file, out);
    return found ? Change.CHANGED : Change.ADDED;
  }

  /** Removes {@code username}; {@link Change#NOT_FOUND} (and no write) if the file lacks it. */
  public static Change delete(Path file, String username) throws IOException {
    requireWritable(username);
    List<String> lines = read(file);
    List<String> out =
        lines.stream().filter(line -> !username.equals(PasswordFile.userOf(line))).toList();
    if (out.size() == lines.size()) {
      return Change.NOT_FOUND;
    }
    write(file, out);
    return Change.DELETED;
  }

  private static void requireWritable(String username) {
    String problem = PasswordFile.usernameProblem(username);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static List<String> read(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Path target = file.toAbsolutePath();
    Path folder = target.getParent();
    String prefix = "." + target.getFileName() + ".";
    Path temp =
        supportsPosix()
            ? Files.createTempFile(folder, prefix, ".tmp", ownerOnly())
            : Files.createTempFile(folder, prefix, ".tmp");
    try {
      String text = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
      byte[] content = text.getBytes(StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true); // on disk before it replaces the old file
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static boolean supportsPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?> ownerOnly() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  }
}
