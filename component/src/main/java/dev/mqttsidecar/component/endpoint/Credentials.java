package dev.mqttsidecar.component.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttsidecar.component.endpoint.EndpointSettings.Authentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;

/**
 * The username and password of the next CONNECT, read from their source each time: a rotated
 * password file or token is picked up without a restart.
 */
public final class Credentials {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record UsernamePassword(String username, byte[] password) {
    static final UsernamePassword NONE = new UsernamePassword(null, null);
  }

  private final Authentication authentication;
  private final Function<String, String> environment;

  public Credentials(Authentication authentication, Function<String, String> environment) {
    this.authentication = authentication;
    this.environment = environment;
  }

  /**
   * @throws UncheckedIOException when the password or token file cannot be read
   * @throws IllegalStateException when the password's environment variable is not set
   */
  public UsernamePassword next() {
    if (authentication instanceof Authentication.UsernamePassword up) {
      return new UsernamePassword(up.username(), password(up).getBytes(StandardCharsets.UTF_8));
    }
    if (authentication instanceof Authentication.Jwt jwt) {
      return new UsernamePassword(jwt.username(), token().getBytes(StandardCharsets.UTF_8));
    }
    return UsernamePassword.NONE; // None, or X509: the certificate is the credential
  }

  /** The token in the JWT file now (trimmed), or null without JWT authentication. */
  public String token() {
    if (!(authentication instanceof Authentication.Jwt jwt)) {
      return null;
    }
    try {
      return Files.readString(jwt.tokenFile()).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + jwt.tokenFile(), e);
    }
  }

  private String password(Authentication.UsernamePassword up) {
    if (up.passwordFile() != null) {
      try {
        // One line: a trailing newline written by an editor or `echo` is not part of it.
        return Files.readString(up.passwordFile()).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the password file " + up.passwordFile(), e);
      }
    }
    String value = environment.apply(up.passwordEnv());
    if (value == null) {
      throw new IllegalStateException(
          "environment variable " + up.passwordEnv() + " (the password) is not set");
    }
    return value;
  }

  /**
   * How long to wait before reading the token file again: until the last fifth of the token's life,
   * at most its last minute; null for no token or one without an expiry.
   */
  public static Duration renewalDelay(String token, Instant now) {
    Instant expiry = token == null ? null : expiry(token);
    if (expiry == null) {
      return null;
    }
    Duration left = Duration.between(now, expiry);
    Duration fifth = left.dividedBy(5);
    Duration margin = fifth.compareTo(Duration.ofMinutes(1)) < 0 ? fifth : Duration.ofMinutes(1);
    Duration wait = left.minus(margin);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** The token's {@code exp} claim, or null when it has none or is not a readable JWT. */
  public static Instant expiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length < 2) {
      return null;
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      JsonNode exp = claims.get("exp");
      return exp != null && exp.canConvertToLong() ? Instant.ofEpochSecond(exp.asLong()) : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
