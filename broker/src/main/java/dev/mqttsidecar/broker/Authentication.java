package dev.mqttsidecar.broker;

import java.time.Instant;
import java.util.Objects;

/**
 * An authenticator's decision about one CONNECT.
 *
 * @param outcome accepted or why not
 * @param username the user name the connection is known by from now on (rules match on it); for a
 *     token, its subject rather than whatever the CONNECT claimed. Null: anonymous
 * @param expiresAt when the credentials stop being valid (a token's expiry): the connection is then
 *     closed, with DISCONNECT 0xA0 Maximum connect time on 5.0. Null: never
 */
public record Authentication(Outcome outcome, String username, Instant expiresAt) {

  /** What the broker answers. */
  public enum Outcome {
    ACCEPTED,
    /** CONNACK 0x86 Bad User Name or Password (5.0) / 0x04 (3.1.1). */
    BAD_CREDENTIALS,
    /** CONNACK 0x87 Not authorized (5.0) / 0x05 (3.1.1). */
    NOT_AUTHORIZED,
    /**
     * Too many failed logins from the client's address: CONNACK 0x9F Connection rate exceeded (5.0)
     * / 0x03 Server unavailable (3.1.1).
     */
    RATE_LIMITED
  }

  public Authentication {
    Objects.requireNonNull(outcome, "outcome");
  }

  public static Authentication accepted(String username) {
    return new Authentication(Outcome.ACCEPTED, username, null);
  }

  public static Authentication acceptedUntil(String username, Instant expiresAt) {
    return new Authentication(Outcome.ACCEPTED, username, expiresAt);
  }

  public static Authentication refused(Outcome outcome) {
    if (outcome == Outcome.ACCEPTED) {
      throw new IllegalArgumentException("a refusal needs a refusing outcome");
    }
    return new Authentication(outcome, null, null);
  }

  public boolean isAccepted() {
    return outcome == Outcome.ACCEPTED;
  }
}
