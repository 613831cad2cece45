package dev.mqttsidecar.security.password;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted password hash in the format of Mosquitto's password files, so files written by {@code
 * mosquitto_passwd} work unchanged:
 *
 * <ul>
 *   <li>{@code $7$<iterations>$<base64 salt>$<base64 hash>}: PBKDF2-HMAC-SHA512 of the UTF-8
 *       password, 64 bytes (what {@code mosquitto_passwd} 2.x writes, with 101 iterations and a
 *       12-byte salt; new hashes here use {@link #DEFAULT_ITERATIONS});
 *   <li>{@code $6$<base64 salt>$<base64 hash>}: one SHA-512 of password then salt (Mosquitto 1.x,
 *       and {@code mosquitto_passwd -H sha512}); read for migration only, never written.
 * </ul>
 */
public final class PasswordHash {
  /** New hashes' PBKDF2 iteration count: OWASP's 2023 figure for PBKDF2-HMAC-SHA512. */
  public static final int DEFAULT_ITERATIONS = 210_000;

  /** Refused above this: a hash that would take minutes to check is a mistake or an attack. */
  static final int MAX_ITERATIONS = 10_000_000;

  private static final int SALT_BYTES = 12; // as mosquitto_passwd
  private static final int HASH_BYTES = 64; // SHA-512's output
  private static final Base64.Decoder BASE64 = Base64.getDecoder();
  private static final Base64.Encoder BASE64_OUT = Base64.getEncoder();

  /** The two schemes Mosquitto's password files use. */
  public enum Scheme {
    PBKDF2_SHA512("$7$"),
    SHA512("$6$");

    private final String prefix;

    Scheme(String prefix) {
      this.prefix = prefix;
    }
  }

  private final Scheme scheme;
  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(Scheme scheme, int iterations, byte[] salt, byte[] hash) {
    this.scheme = scheme;
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /** A new PBKDF2 hash of {@code password} with a random salt. */
  public static PasswordHash create(char[] password, int iterations, SecureRandom random) {
    if (password.length == 0) {
      throw new IllegalArgumentException("the password is empty");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS);
    }
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new PasswordHash(
        Scheme.PBKDF2_SHA512, iterations, salt, pbkdf2(password, salt, iterations, HASH_BYTES));
  }

  /**
   * Reads an encoded hash.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static PasswordHash parse(String encoded) {
    if (encoded.startsWith(Scheme.PBKDF2_SHA512.prefix)) {
      String[] parts = encoded.substring(3).split("\\$", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException("a $7$ hash is $7$<iterations>$<salt>$<hash>");
      }
      int iterations = iterations(parts[0]);
      byte[] salt = base64(parts[1], "salt");
      byte[] hash = base64(parts[2], "hash");
      if (hash.length > HASH_BYTES) {
        throw new IllegalArgumentException("a $7$ hash has at most " + HASH_BYTES + " bytes");
      }
      return new PasswordHash(Scheme.PBKDF2_SHA512, iterations, salt, hash);
    }
    if (encoded.startsWith(Scheme.SHA512.prefix)) {
      String[] parts = encoded.substring(3).split("\\$", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("a $6$ hash is $6$<salt>$<hash>");
      }
      byte[] hash = base64(parts[1], "hash");
      if (hash.length != HASH_BYTES) {
        throw new IllegalArgumentException("a $6$ hash has " + HASH_BYTES + " bytes");
      }
      return new PasswordHash(Scheme.SHA512, 1, base64(parts[0], "salt"), hash);
    }
    throw new IllegalArgumentException(
        "not a password hash: expected $7$ (PBKDF2-SHA512) or $6$ (SHA-512)");
  }

  /** Whether {@code password} (the CONNECT's bytes) is the one hashed; constant-time compare. */
  public boolean matches(byte[] password) {
    byte[] computed =
        switch (scheme) {
          case PBKDF2_SHA512 -> {
            char[] chars = utf8(password);
            yield chars == null ? null : pbkdf2(chars, salt, iterations, hash.length);
          }
          case SHA512 -> sha512(password, salt);
        };
    return computed != null && MessageDigest.isEqual(computed, hash);
  }

  public Scheme scheme() {
    return scheme;
  }

  public int iterations() {
    return iterations;
  }

  /** The form written to the file. */
  public String encoded() {
    String s = BASE64_OUT.encodeToString(salt) + "$" + BASE64_OUT.encodeToString(hash);
    return scheme == Scheme.PBKDF2_SHA512
        ? scheme.prefix + iterations + "$" + s
        : scheme.prefix + s;
  }

  @Override
  public String toString() {
    return scheme.prefix + "...";
  }

  private static int iterations(String text) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= MAX_ITERATIONS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "iterations must be a number 1.." + MAX_ITERATIONS + ", not '" + text + "'");
  }

  private static byte[] base64(String text, String what) {
    try {
      byte[] bytes = BASE64.decode(text);
      if (bytes.length > 0) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException("the " + what + " is not base64");
  }

  /**
   * The password as characters for {@link PBEKeySpec}, which hashes them as UTF-8, as Mosquitto
   * hashes the password's bytes. Bytes that are not UTF-8 cannot have been typed into {@code
   * passwd}: null, so they match nothing.
   */
  private static char[] utf8(byte[] password) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(password));
      return Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every JDK", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static byte[] sha512(byte[] password, byte[] salt) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      digest.update(password);
      return digest.digest(salt);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-512 is part of every JDK", e);
    }
  }
}
