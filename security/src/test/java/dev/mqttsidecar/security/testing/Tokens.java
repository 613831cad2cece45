package dev.mqttsidecar.security.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/** Signing keys, key set files and signed tokens for tests. */
public final class Tokens {
  private Tokens() {}

  /** A new 2048-bit RSA signing key (RS256) with key id {@code kid}. */
  public static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048)
          .keyID(kid)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new P-256 signing key (ES256) with key id {@code kid}. */
  public static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the public halves of {@code keys} as a JSON Web Key Set. */
  public static Path writeJwks(Path file, JWK... keys) throws IOException {
    JWKSet set = new JWKSet(Arrays.asList(keys)).toPublicJWKSet();
    return Files.writeString(file, set.toString());
  }

  /** Claims with a subject and an expiry. */
  public static JWTClaimsSet.Builder claims(String subject, Instant expires) {
    return new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expires));
  }

  /**
   * Claims shaped like a Kubernetes projected service-account token: issuer, audience, subject
   * {@code system:serviceaccount:<namespace>:<name>}, iat = nbf, and the kubernetes.io claim.
   */
  public static JWTClaimsSet.Builder serviceAccount(
      String issuer, String audience, String namespace, String name, Instant now, Instant exp) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(List.of(audience))
        .subject("system:serviceaccount:" + namespace + ":" + name)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(exp))
        .claim(
            "kubernetes.io",
            java.util.Map.of(
                "namespace",
                namespace,
                "serviceaccount",
                java.util.Map.of("name", name, "uid", "4f6b0f0e-uid")));
  }

  /** {@code claims} signed by {@code key}: RS256 for an RSA key, ES256 for an EC key. */
  public static String sign(JWK key, JWTClaimsSet claims) {
    try {
      boolean rsa = key instanceof RSAKey;
      JWSHeader header =
          new JWSHeader.Builder(rsa ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256)
              .keyID(key.getKeyID())
              .build();
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(rsa ? new RSASSASigner((RSAKey) key) : new ECDSASigner((ECKey) key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
