package dev.mqttsidecar.security.jwt;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The claims a signed token must carry (RFC 7519 section 4.1): a subject, an expiry in the future,
 * no {@code nbf} in the future, and the configured issuer and audience. Time comes from the
 * injected clock.
 */
final class TokenClaimsCheck implements JWTClaimsSetVerifier<SecurityContext> {
  /**
   * How far the issuer's clock may run ahead of ours for {@code nbf}: a token is usually used
   * within a second of being issued, and {@code nbf} is often set to that second.
   */
  static final Duration NOT_BEFORE_LEEWAY = Duration.ofSeconds(60);

  private final String issuer;
  private final String audience;
  private final Clock clock;

  TokenClaimsCheck(String issuer, String audience, Clock clock) {
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      // Without an expiry a stolen token would be good forever.
      throw new BadJWTException("the token has no exp");
    }
    if (!exp.toInstant().isAfter(now)) {
      throw new BadJWTException("the token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(NOT_BEFORE_LEEWAY))) {
      throw new BadJWTException("the token is not valid before " + nbf.toInstant());
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new BadJWTException("the token has no sub");
    }
    if (issuer != null && !issuer.equals(claims.getIssuer())) {
      throw new BadJWTException("the token's iss is " + claims.getIssuer() + ", not " + issuer);
    }
    List<String> aud = claims.getAudience();
    if (audience != null && !aud.contains(audience)) {
      throw new BadJWTException("the token's aud " + aud + " does not include " + audience);
    }
  }
}
