package dev.mqttsidecar.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.Authentication.Outcome;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.security.AuthenticationSettings.JwtSettings;
import dev.mqttsidecar.security.password.PasswordFileEditor;
import dev.mqttsidecar.security.password.PasswordHash;
import dev.mqttsidecar.security.testing.Tokens;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision for each kind of CONNECT, and the limit on failed logins. */
class ClientAuthenticatorTest {
  private static final String ISSUER = "https://issuer.example";
  private static final String AUDIENCE = "mqtt-sidecar";
  private static final InetSocketAddress HOST_A = new InetSocketAddress("192.0.2.1", 40000);
  private static final InetSocketAddress HOST_B = new InetSocketAddress("192.0.2.2", 40000);
  private static RSAKey key;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Path passwd;
  private JwtSettings jwt;

  @BeforeAll
  static void signingKey() {
    key = Tokens.rsaKey("k1");
  }

  @BeforeEach
  void files() throws Exception {
    passwd = dir.resolve("passwd");
    PasswordFileEditor.setPassword(
        passwd, "alice", PasswordHash.create("secret".toCharArray(), 1000, new SecureRandom()));
    jwt = new JwtSettings(Tokens.writeJwks(dir.resolve("jwks.json"), key), ISSUER, AUDIENCE);
  }

  private ClientAuthenticator authenticator(boolean anonymous, boolean passwords, boolean tokens) {
    return new ClientAuthenticator(
        new AuthenticationSettings(anonymous, passwords ? passwd : null, tokens ? jwt : null),
        clock);
  }

  private ClientAuthenticator everything(boolean anonymous) {
    return authenticator(anonymous, true, true);
  }

  private static ClientIdentity client(String username, String cert, SocketAddress from) {
    return new ClientIdentity("c1", username, cert, "mqtt", from);
  }

  private static ClientIdentity client(String username) {
    return client(username, null, HOST_A);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String token(String subject, Instant exp) {
    return Tokens.sign(key, Tokens.claims(subject, exp).issuer(ISSUER).audience(AUDIENCE).build());
  }

  private Instant inAnHour() {
    return clock.instant().plus(Duration.ofHours(1));
  }

  @Test
  void aValidTokenIsAcceptedUnderItsSubjectUntilItExpires() {
    Authentication a =
        everything(false).authenticate(client(null), bytes(token("dev-1", inAnHour())));
    assertThat(a).isEqualTo(Authentication.acceptedUntil("dev-1", inAnHour()));
  }

  @Test
  void theUserNameSentWithATokenIsNotTrusted() {
    Authentication a =
        everything(false).authenticate(client("admin"), bytes(token("dev-1", inAnHour())));
    assertThat(a.isAccepted()).isTrue();
    assertThat(a.username()).isEqualTo("dev-1");
  }

  @Test
  void aBadTokenIsBadCredentialsEvenWithAnonymousOn() {
    String expired = token("dev-1", clock.instant().minusSeconds(1));
    assertThat(everything(true).authenticate(client(null), bytes(expired)).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    String otherKey = Tokens.sign(Tokens.ecKey("k1"), Tokens.claims("x", inAnHour()).build());
    assertThat(everything(true).authenticate(client("alice"), bytes(otherKey)).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
  }

  @Test
  void withoutJwtConfiguredATokenIsJustAPassword() {
    String token = token("alice", inAnHour());
    assertThat(
            authenticator(true, true, false).authenticate(client("alice"), bytes(token)).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(
            authenticator(false, false, false).authenticate(client(null), bytes(token)).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
  }

  @Test
  void theRightPasswordIsAcceptedUnderTheUserName() {
    assertThat(everything(false).authenticate(client("alice"), bytes("secret")))
        .isEqualTo(Authentication.accepted("alice"));
  }

  @Test
  void aPasswordWithDotsIsStillAPasswordWhenJwtIsConfigured() throws Exception {
    PasswordFileEditor.setPassword(
        passwd, "bob", PasswordHash.create("my.dotted.pw".toCharArray(), 1000, new SecureRandom()));
    assertThat(everything(false).authenticate(client("bob"), bytes("my.dotted.pw")))
        .isEqualTo(Authentication.accepted("bob"));
  }

  @Test
  void aWrongPasswordOrUnknownUserIsBadCredentialsEvenWithAnonymousOn() {
    ClientAuthenticator auth = everything(true);
    assertThat(auth.authenticate(client("alice"), bytes("Secret")).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(auth.authenticate(client("mallory"), bytes("secret")).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
  }

  @Test
  void credentialsNothingConfiguredCanCheckAreBadCredentials() {
    // A password without a user name (MQTT 5 allows it) and no token.
    assertThat(everything(true).authenticate(client(null), bytes("secret")).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    // A user name and password, but no password file.
    assertThat(authenticator(true, false, true).authenticate(client("alice"), bytes("secret")))
        .extracting(Authentication::outcome)
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(authenticator(false, false, false).authenticate(client("alice"), bytes("secret")))
        .extracting(Authentication::outcome)
        .isEqualTo(Outcome.BAD_CREDENTIALS);
  }

  @Test
  void withNothingToCheckAndAnonymousOnEveryoneIsAcceptedUnderTheNameTheySent() {
    ClientAuthenticator open = authenticator(true, false, false);
    assertThat(open.authenticate(client("alice"), bytes("anything")))
        .isEqualTo(Authentication.accepted("alice"));
    assertThat(open.authenticate(client("bob"), null)).isEqualTo(Authentication.accepted("bob"));
    assertThat(open.authenticate(client(null), null)).isEqualTo(Authentication.accepted(null));
  }

  @Test
  void aUserNameWithoutPasswordIsNeitherTrustedNorAnonymous() {
    assertThat(everything(true).authenticate(client("alice"), null).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
  }

  @Test
  void aVerifiedCertificateWithoutPasswordIsAccepted() {
    ClientIdentity device = client(null, "device-7.factory", HOST_A);
    assertThat(authenticator(false, false, false).authenticate(device, null))
        .isEqualTo(Authentication.accepted(null));
    // Its user name, unproven, is dropped: rules match the certificate's name.
    ClientIdentity named = client("admin", "device-7.factory", HOST_A);
    assertThat(everything(false).authenticate(named, null))
        .isEqualTo(Authentication.accepted(null));
  }

  @Test
  void aCertificateWithAPasswordNeedsTheRightPassword() {
    ClientIdentity wrong = client("alice", "device-7.factory", HOST_A);
    assertThat(everything(false).authenticate(wrong, bytes("nope")).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(everything(false).authenticate(wrong, bytes("secret")))
        .isEqualTo(Authentication.accepted("alice"));
  }

  @Test
  void noCredentialsAreAcceptedOnlyWhenAnonymousIsOn() {
    assertThat(everything(true).authenticate(client(null), null))
        .isEqualTo(Authentication.accepted(null));
    assertThat(everything(false).authenticate(client(null), null).outcome())
        .isEqualTo(Outcome.NOT_AUTHORIZED);
    assertThat(authenticator(false, false, false).authenticate(client(null), null).outcome())
        .isEqualTo(Outcome.NOT_AUTHORIZED);
  }

  @Test
  void fiveFailuresFromAnAddressRefuseItEvenWithTheRightPassword() {
    ClientAuthenticator auth = everything(false);
    for (int i = 0; i < 5; i++) {
      assertThat(auth.authenticate(client("alice"), bytes("guess" + i)).outcome())
          .isEqualTo(Outcome.BAD_CREDENTIALS);
    }
    assertThat(auth.authenticate(client("alice"), bytes("secret")).outcome())
        .isEqualTo(Outcome.RATE_LIMITED);
    assertThat(auth.authenticate(client("alice", null, HOST_B), bytes("secret")).isAccepted())
        .isTrue(); // another address
    clock.advance(Duration.ofSeconds(5));
    assertThat(auth.authenticate(client("alice"), bytes("secret")).isAccepted()).isTrue();
    // The success reset the count: one failure is not refused again.
    assertThat(auth.authenticate(client("alice"), bytes("guess")).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(auth.authenticate(client("alice"), bytes("secret")).isAccepted()).isTrue();
  }

  @Test
  void anonymousRefusalsCountAsFailures() {
    ClientAuthenticator auth = everything(false);
    for (int i = 0; i < 5; i++) {
      auth.authenticate(client(null), null);
    }
    assertThat(auth.authenticate(client(null), null).outcome()).isEqualTo(Outcome.RATE_LIMITED);
  }

  @Test
  void loopbackIsNotExempt() {
    ClientAuthenticator auth = everything(false);
    ClientIdentity local = client("alice", null, new InetSocketAddress("127.0.0.1", 5000));
    for (int i = 0; i < 5; i++) {
      auth.authenticate(local, bytes("guess"));
    }
    assertThat(auth.authenticate(local, bytes("secret")).outcome()).isEqualTo(Outcome.RATE_LIMITED);
  }

  @Test
  void aClientWithoutAnIpAddressIsNotLimited() {
    ClientAuthenticator auth = everything(false);
    ClientIdentity noAddress = client("alice", null, null);
    for (int i = 0; i < 10; i++) {
      assertThat(auth.authenticate(noAddress, bytes("guess")).outcome())
          .isEqualTo(Outcome.BAD_CREDENTIALS);
    }
  }

  @Test
  void missingFilesAreRefusedAtStartNamingTheSetting() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(
            () -> new ClientAuthenticator(new AuthenticationSettings(false, missing, null), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("authentication.passwordFile: " + missing + ": no such file");
    JwtSettings noKeys = new JwtSettings(missing, ISSUER, AUDIENCE);
    assertThatThrownBy(
            () -> new ClientAuthenticator(new AuthenticationSettings(false, null, noKeys), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("authentication.jwt.jwks: " + missing + ": no such file");
  }
}
