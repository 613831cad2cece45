package dev.mqttsidecar.security.password;

import dev.mqttsidecar.security.file.ReloadingFile;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

  /** A password verified against a hash: its keyed digest, so a reconnect costs no PBKDF2. */
  private record Verified(PasswordHash hash, byte[] digest) {}

  private final ReloadingFile<Users> file;
  // One entry per user of the file at most; an entry is valid only for the hash it was checked
  // against, so a changed or reloaded file is checked afresh.
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();
  private final byte[] digestKey = new byte[32];

  /**
   * @param setting the configuration key naming the file, for messages
   * @throws IllegalArgumentException naming the setting and the file when it is missing, unreadable
   *     or malformed
   */
  public PasswordCheck(String setting, Path path) {
    this.file = new ReloadingFile<>(setting, path, Users::parse);
    new SecureRandom().nextBytes(digestKey);
  }

  /** Whether the file names {@code username} with the hash of {@code password}. */
  public boolean matches(String username, byte[] password) {
    Users users = file.get();
    PasswordHash hash = users.file().hashOf(username);
    if (hash == null) {
      users.decoy().matches(password);
      return false;
    }
    byte[] digest = digest(password);
    Verified known = verified.get(username);
    if (known != null && known.hash() == hash && MessageDigest.isEqual(known.digest(), digest)) {
      return true;
    }
    if (!hash.matches(password)) {
      return false;
    }
    verified.put(username, new Verified(hash, digest));
    return true;
  }

  /**
   * A keyed digest of a password, with a key that never leaves this process: a fleet of devices
   * reconnecting (after a restart, a network outage) costs one PBKDF2 per user, not per connection,
   * without keeping passwords in memory.
   */
  private byte[] digest(byte[] password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(digestKey, "HmacSHA256"));
      return mac.doFinal(password);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
