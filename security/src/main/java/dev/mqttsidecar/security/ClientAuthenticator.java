package dev.mqttsidecar.security;

import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.Authentication.Outcome;
import dev.mqttsidecar.broker.Authenticator;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.security.jwt.JwtVerifier;
import dev.mqttsidecar.security.jwt.TokenShape;
import dev.mqttsidecar.security.password.PasswordCheck;
import dev.mqttsidecar.security.ratelimit.FailedLoginLimiter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each CONNECT from the configuration file's {@code authentication} section:
 *
 * <ol>
 *   <li>neither {@code passwordFile} nor {@code jwt} configured and {@code anonymous} on: everyone
 *       is accepted, under the user name they sent (nothing could verify it);
 *   <li>a password that is a JSON Web Token, with {@code jwt} configured: a valid token is accepted
 *       under its subject (not the CONNECT's user name, which nothing vouches for) until it
 *       expires;
 *   <li>otherwise a user name and password, with {@code passwordFile} configured: accepted if the
 *       file holds that user with that password;
 *   <li>a password nothing configured can check, a wrong one, or a user name without a password:
 *       Bad User Name or Password (0x86 / 3.1.1: 0x04), whatever {@code anonymous} says;
 *   <li>no credentials but a verified client certificate: accepted (rules match the certificate's
 *       name);
 *   <li>no credentials at all: accepted if {@code anonymous}, else Not authorized (0x87 / 0x05).
 * </ol>
 *
 * Refusals count as failed logins of the client's address; too many and its attempts are refused
 * with Connection rate exceeded (0x9F / 0x03) for a while ({@link FailedLoginLimiter}).
 */
public final class ClientAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(ClientAuthenticator.class);

  private final boolean anonymous;
  private final PasswordCheck passwords;
  private final JwtVerifier tokens;
  private final FailedLoginLimiter limiter;

  /**
   * Reads the password file and the key set now.
   *
   * @throws IllegalArgumentException naming the setting and the file when a file is missing,
   *     unreadable or malformed
   */
  public ClientAuthenticator(AuthenticationSettings settings, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    this.anonymous = settings.anonymous();
    this.passwords =
        settings.passwordFile() == null
            ? null
            : new PasswordCheck("authentication.passwordFile", settings.passwordFile());
    this.tokens =
        settings.jwt() == null
            ? null
            : new JwtVerifier("authentication.jwt.jwks", settings.jwt(), clock);
    this.limiter = new FailedLoginLimiter(FailedLoginLimiter.Policy.DEFAULT, clock);
  }

  @Override
  public Authentication authenticate(ClientIdentity client, byte[] password) {
    InetAddress address = addressOf(client.remoteAddress());
    if (address != null && limiter.isRefused(address)) {
      LOG.debug("{} from {}: refused, too many failed logins", client.clientId(), address);
      return Authentication.refused(Outcome.RATE_LIMITED);
    }
    Authentication result = decide(client, password);
    if (address != null) {
      if (result.isAccepted()) {
        limiter.succeeded(address);
      } else {
        limiter.failed(address);
      }
    }
    return result;
  }

  private Authentication decide(ClientIdentity client, byte[] password) {
    if (passwords == null && tokens == null && anonymous) {
      // Nothing to check credentials against and anyone may connect: the user name is a label the
      // client chose, as with Mosquitto's allow_anonymous without a password file.
      return Authentication.accepted(client.username());
    }
    if (password != null) {
      String token = tokens == null ? null : TokenShape.asToken(password);
      if (token != null) {
        return byToken(client, token);
      }
      if (client.username() != null && passwords != null) {
        return byPassword(client, password);
      }
      return refuse(client, Outcome.BAD_CREDENTIALS, "a password nothing configured can check");
    }
    if (client.username() != null && client.certCommonName() == null) {
      // A name alone proves nothing, and must not pass as anonymous under that name.
      return refuse(client, Outcome.BAD_CREDENTIALS, "a user name without a password");
    }
    if (client.certCommonName() != null) {
      return Authentication.accepted(null); // the certificate is the identity
    }
    return anonymous
        ? Authentication.accepted(null)
        : refuse(client, Outcome.NOT_AUTHORIZED, "no credentials, and anonymous is off");
  }

  private Authentication byToken(ClientIdentity client, String token) {
    try {
      JwtVerifier.Verified verified = tokens.verify(token);
      if (client.username() != null && !client.username().equals(verified.subject())) {
        LOG.debug(
            "{}: user name {} ignored, the token is for {}",
            client.clientId(),
            client.username(),
            verified.subject());
      }
      return Authentication.acceptedUntil(verified.subject(), verified.expiresAt());
    } catch (JwtVerifier.Rejected e) {
      return refuse(client, Outcome.BAD_CREDENTIALS, "token refused: " + e.getMessage());
    }
  }

  private Authentication byPassword(ClientIdentity client, byte[] password) {
    if (passwords.matches(client.username(), password)) {
      return Authentication.accepted(client.username());
    }
    return refuse(client, Outcome.BAD_CREDENTIALS, "wrong password or unknown user");
  }

  private static Authentication refuse(ClientIdentity client, Outcome outcome, String why) {
    LOG.debug(
        "{} (user {}) from {}: {} ({})",
        client.clientId(),
        client.username(),
        client.remoteAddress(),
        outcome,
        why);
    return Authentication.refused(outcome);
  }

  private static InetAddress addressOf(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
