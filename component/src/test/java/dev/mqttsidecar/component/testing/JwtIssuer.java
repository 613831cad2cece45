package dev.mqttsidecar.component.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;

/**
 * Signs JWTs (ES256) with a key of its own and writes the JWK set that a sidecar's {@code
 * authentication.jwt.jwks} verifies them against, as a Kubernetes API server signs service-account
 * tokens.
 */
public final class JwtIssuer {
  private final ECKey key;

  private JwtIssuer(ECKey key) {
    this.key = key;
  }

  public static JwtIssuer create(String keyId) throws JOSEException {
    return new JwtIssuer(new ECKeyGenerator(Curve.P_256).keyID(keyId).generate());
  }

  /** Writes the public JWK set to {@code file}. */
  public Path writeJwks(Path file) throws IOException {
    return Files.writeString(file, new JWKSet(key.toPublicJWK()).toString());
  }

  /** A token for {@code subject} that expires at {@code expires}. */
  public String sign(String subject, Instant expires) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expires)).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }
}
