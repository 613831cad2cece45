package dev.mqttsidecar.security.password;

import dev.mqttsidecar.security.file.ReloadingFile;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Checks user names and passwords against a password file, read again when it changes (edits,
 * {@code mqtt-sidecar passwd}) without a restart.
 */
public final class PasswordCheck {
  /**
   * The file's users, and a hash to check for a user the file does not know: as costly as the
   * file's costliest, so a refusal takes as long for an unknown user as for a wrong password and
   * the time does not tell which user names exist.
   */
  private record Users(PasswordFile file, PasswordHash decoy) {
    static Users parse(byte[] content) {
      PasswordFile file = PasswordFile.parse(content);
      char[] random = UUID.randomUUID().toString().toCharArray();
      return new Users(file, PasswordHash.create(random, file.maxIterations(), new SecureRandom()));
    }
  }

  private final ReloadingFile<Users> file;

  /**
   * @param setting the configuration key naming the file, for messages
   * @throws IllegalArgumentException naming the setting and the file when it is missing, unreadable
   *     or malformed
   */
  public PasswordCheck(String setting, Path path) {
    this.file = new ReloadingFile<>(setting, path, Users::parse);
  }

  /** Whether the file names {@code username} with the hash of {@code password}. */
  public boolean matches(String username, byte[] password) {
    Users users = file.get();
    PasswordHash hash = users.file().hashOf(username);
    if (hash == null) {
      users.decoy().matches(password);
      return false;
    }
    return hash.matches(password);
  }
}
