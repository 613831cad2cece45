package dev.mqttsidecar.security.jwt;

import static dev.mqttsidecar.security.testing.Tokens.claims;
import static dev.mqttsidecar.security.testing.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.security.AuthenticationSettings.JwtSettings;
import dev.mqttsidecar.security.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {
  private static final String SETTING = "authentication.jwt.jwks";
  private static final String ISSUER = "https://issuer.example";
  private static final String AUDIENCE = "mqtt-sidecar";
  private static RSAKey rsa;
  private static RSAKey otherRsa;
  private static ECKey ec;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Path jwks;

  @BeforeAll
  static void keys() {
    rsa = Tokens.rsaKey("rsa-1");
    otherRsa = Tokens.rsaKey("rsa-1"); // same key id, different key
    ec = Tokens.ecKey("ec-1");
  }

  @BeforeEach
  void keySet() throws Exception {
    jwks = Tokens.writeJwks(dir.resolve("jwks.json"), rsa, ec);
  }

  private JwtVerifier verifier(String issuer, String audience) {
    return new JwtVerifier(SETTING, new JwtSettings(jwks, issuer, audience), clock);
  }

  private Instant inAnHour() {
    return clock.instant().plus(Duration.ofHours(1));
  }

  private JWTClaimsSet.Builder valid() {
    return claims("device-1", inAnHour()).issuer(ISSUER).audience(AUDIENCE);
  }

  @Test
  void acceptsRs256AndEs256WithTheirSubjectAndExpiry() throws Exception {
    JwtVerifier v = verifier(ISSUER, AUDIENCE);
    JwtVerifier.Verified r = v.verify(sign(rsa, valid().build()));
    assertThat(r.subject()).isEqualTo("device-1");
    assertThat(r.expiresAt()).isEqualTo(inAnHour());
    assertThat(v.verify(sign(ec, valid().subject("device-2").build())).subject())
        .isEqualTo("device-2");
  }

  @Test
  void acceptsAKubernetesServiceAccountToken() throws Exception {
    Instant now = clock.instant();
    String token =
        sign(
            rsa,
            Tokens.serviceAccount(
                    "https://kubernetes.default.svc.cluster.local",
                    "mqtt-sidecar",
                    "factory",
                    "line-controller",
                    now,
                    now.plus(Duration.ofMinutes(10)))
                .build());
    JwtVerifier v = verifier("https://kubernetes.default.svc.cluster.local", "mqtt-sidecar");
    assertThat(v.verify(token).subject())
        .isEqualTo("system:serviceaccount:factory:line-controller");
  }

  @Test
  void refusesExpiredTokensAndTokensWithoutExpiry() {
    JwtVerifier v = verifier(null, null);
    String token = sign(rsa, valid().build());
    clock.advance(Duration.ofHours(1)); // exactly at exp: expired
    assertThatThrownBy(() -> v.verify(token))
        .isInstanceOf(JwtVerifier.Rejected.class)
        .hasMessageContaining("expired");
    JWTClaimsSet noExp = new JWTClaimsSet.Builder().subject("x").build();
    assertThatThrownBy(() -> v.verify(sign(rsa, noExp))).hasMessageContaining("no exp");
  }

  @Test
  void refusesTokensNotValidYet() throws Exception {
    JwtVerifier v = verifier(null, null);
    Instant soon = clock.instant().plus(Duration.ofMinutes(5));
    assertThatThrownBy(() -> v.verify(sign(rsa, valid().notBeforeTime(Date.from(soon)).build())))
        .hasMessageContaining("not valid before");
    // Within the leeway for clocks that run a little apart.
    Instant inASecond = clock.instant().plusSeconds(1);
    assertThat(v.verify(sign(rsa, valid().notBeforeTime(Date.from(inASecond)).build())))
        .isNotNull();
  }

  @Test
  void refusesTokensWithoutSubject() {
    JwtVerifier v = verifier(null, null);
    JWTClaimsSet noSub = new JWTClaimsSet.Builder().expirationTime(Date.from(inAnHour())).build();
    assertThatThrownBy(() -> v.verify(sign(rsa, noSub))).hasMessageContaining("no sub");
  }

  @Test
  void refusesAnotherIssuerOrAudience() throws Exception {
    JwtVerifier v = verifier(ISSUER, AUDIENCE);
    assertThatThrownBy(() -> v.verify(sign(rsa, valid().issuer("https://evil.example").build())))
        .hasMessageContaining("iss");
    assertThatThrownBy(() -> v.verify(sign(rsa, valid().audience("other").build())))
        .hasMessageContaining("aud");
    assertThatThrownBy(() -> v.verify(sign(rsa, claims("d", inAnHour()).build())))
        .hasMessageContaining("iss");
    assertThat(v.verify(sign(rsa, valid().audience(List.of("other", AUDIENCE)).build())))
        .isNotNull();
  }

  @Test
  void refusesASignatureByAnotherKey() {
    JwtVerifier v = verifier(null, null);
    assertThatThrownBy(() -> v.verify(sign(otherRsa, valid().build())))
        .isInstanceOf(JwtVerifier.Rejected.class)
        .hasMessageContaining("signature");
  }

  @Test
  void refusesATamperedToken() {
    JwtVerifier v = verifier(null, null);
    String token = sign(rsa, valid().build());
    String other = sign(rsa, valid().subject("admin").build());
    String forged =
        token.substring(0, token.indexOf('.'))
            + other.substring(other.indexOf('.'), other.lastIndexOf('.'))
            + token.substring(token.lastIndexOf('.'));
    assertThatThrownBy(() -> v.verify(forged)).isInstanceOf(JwtVerifier.Rejected.class);
  }

  @Test
  void refusesUnsignedTokens() {
    JwtVerifier v = verifier(null, null);
    String none = new PlainJWT(valid().build()).serialize();
    assertThat(none).endsWith(".");
    assertThatThrownBy(() -> v.verify(none)).isInstanceOf(JwtVerifier.Rejected.class);
  }

  @Test
  void refusesHs256EvenKeyedWithThePublicKey() throws Exception {
    JwtVerifier v = verifier(null, null);
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    assertThatThrownBy(() -> v.verify(hs256(valid().build(), secret)))
        .isInstanceOf(JwtVerifier.Rejected.class);
    // The classic confusion: the verifier's own public key used as the HMAC secret.
    byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
    assertThatThrownBy(() -> v.verify(hs256(valid().build(), publicKey)))
        .isInstanceOf(JwtVerifier.Rejected.class);
  }

  private static String hs256(JWTClaimsSet claims, byte[] secret) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  @Test
  void readsTheKeySetAgainWhenKeysRotate() throws Exception {
    JwtVerifier v = verifier(null, null);
    RSAKey next = Tokens.rsaKey("rsa-2");
    String newToken = sign(next, valid().build());
    String oldToken = sign(rsa, valid().build());
    assertThatThrownBy(() -> v.verify(newToken)).isInstanceOf(JwtVerifier.Rejected.class);

    Tokens.writeJwks(jwks, rsa, next); // the new key joins
    assertThat(v.verify(newToken).subject()).isEqualTo("device-1");
    assertThat(v.verify(oldToken).subject()).isEqualTo("device-1");

    Tokens.writeJwks(jwks, next); // the old key leaves
    assertThat(v.verify(newToken).subject()).isEqualTo("device-1");
    assertThatThrownBy(() -> v.verify(oldToken)).isInstanceOf(JwtVerifier.Rejected.class);
  }

  @Test
  void aBrokenKeySetFileKeepsThePreviousKeys() throws Exception {
    JwtVerifier v = verifier(null, null);
    String token = sign(rsa, valid().build());
    Files.writeString(jwks, "{\"keys\": [");
    assertThat(v.verify(token).subject()).isEqualTo("device-1");
  }

  @Test
  void aMissingOrMalformedKeySetIsRefusedAtStartNamingTheSettingAndFile() throws Exception {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> new JwtVerifier(SETTING, new JwtSettings(missing, null, null), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(SETTING + ": " + missing + ": no such file");
    Files.writeString(jwks, "not json");
    assertThatThrownBy(() -> verifier(null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(SETTING + ": " + jwks + ": ");
    Files.writeString(jwks, "{\"keys\":[]}");
    assertThatThrownBy(() -> verifier(null, null))
        .hasMessage(SETTING + ": " + jwks + ": the key set holds no public key");
  }
}
