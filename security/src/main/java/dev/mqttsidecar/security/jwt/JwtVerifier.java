package dev.mqttsidecar.security.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.mqttsidecar.security.AuthenticationSettings.JwtSettings;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * Verifies JSON Web Tokens signed with RS256 or ES256 against a key set file: the signature, then
 * the claims ({@link TokenClaimsCheck}). Kubernetes service-account tokens (projected volumes) are
 * such tokens: RS256, signed by the cluster's issuer, whose key set the API server publishes at
 * {@code /openid/v1/jwks}. Unsigned tokens ({@code alg: none}) and shared-secret algorithms (HS256)
 * are refused: the key set holds public keys, and a public key must never serve as a shared secret.
 */
public final class JwtVerifier {
  /** The accepted signature algorithms. */
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  /** A token that passed: who it is for and until when. */
  public record Verified(String subject, Instant expiresAt) {}

  /** Why a token was refused. */
  public static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;

    Rejected(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param setting the configuration key of the key set file, for messages
   * @throws IllegalArgumentException naming the setting and the file when the key set is missing,
   *     unreadable or malformed
   */
  public JwtVerifier(String setting, JwtSettings settings, Clock clock) {
    if (settings.jwks() == null) {
      throw new IllegalArgumentException(setting + " is required");
    }
    JwksFile keys = new JwksFile(setting, settings.jwks());
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    // "JWT", OAuth access tokens (RFC 9068) and tokens without a type, such as Kubernetes'.
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWTClaimsSetVerifier(
        new TokenClaimsCheck(settings.issuer(), settings.audience(), clock));
  }

  /** Checks {@code token} (compact form). */
  public Verified verify(String token) throws Rejected {
    try {
      JWTClaimsSet claims = processor.process(token, null);
      return new Verified(claims.getSubject(), claims.getExpirationTime().toInstant());
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new Rejected(e.getMessage(), e);
    }
  }
}
