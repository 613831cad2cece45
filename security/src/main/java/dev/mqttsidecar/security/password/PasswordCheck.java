package dev.mqttsidecar.security.password;

import dev.mqttsidecar.security.file.ReloadingFile;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Checks user names and passwords against a password file, read again when it changes (edits,
 * {@code mqtt-sidecar passwd}) without a restart.
 */
public final class PasswordCheck {
  /**
   * Checked for a user the file does not know, so a refusal takes as long for an unknown user as
   * for a wrong password and the time does not tell which user names exist.
   */
  private static final PasswordHash UNKNOWN_USER =
      PasswordHash.create(
          "no such user".toCharArray(), PasswordHash.DEFAULT_ITERATIONS, new SecureRandom());

  private final ReloadingFile<PasswordFile> file;

  /**
   * @param setting the configuration key naming the file, for messages
   * @throws IllegalArgumentException naming the setting and the file when it is missing, unreadable
   *     or malformed
   */
  public PasswordCheck(String setting, Path path) {
    this.file = new ReloadingFile<>(setting, path, PasswordFile::parse);
  }

  /** Whether the file names {@code username} with the hash of {@code password}. */
  public boolean matches(String username, byte[] password) {
    PasswordHash hash = file.get().hashOf(username);
    if (hash == null) {
      UNKNOWN_USER.matches(password);
      return false;
    }
    return hash.matches(password);
  }
}
