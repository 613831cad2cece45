package dev.mqttsidecar.security.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenShapeTest {
  private static String shape(String password) {
    return TokenShape.asToken(password.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCompactTokenIsOne() {
    // {"alg":"RS256","kid":"k1"} . {"sub":"x"} . signature
    String token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.c2ln";
    assertThat(shape(token)).isEqualTo(token);
  }

  @Test
  void anUnsignedTokenIsStillATokenSoItCanBeRefusedAsOne() {
    String none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
    assertThat(shape(none)).isEqualTo(none);
  }

  @Test
  void passwordsWithDotsAreNotTokens() {
    assertThat(shape("my.secret.word")).isNull();
    assertThat(shape("abc.def.ghi")).isNull();
    assertThat(shape("secret")).isNull();
    assertThat(shape("a.b")).isNull();
    assertThat(shape("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln.more")).isNull();
    assertThat(shape("eyJhbGciOiJub25lIn0 .eyJzdWIiOiJ4In0.c2ln")).isNull();
    // A JSON header without "alg" is not a JOSE header.
    assertThat(shape("eyJmb28iOiJiYXIifQ.eyJzdWIiOiJ4In0.c2ln")).isNull();
    assertThat(TokenShape.asToken(null)).isNull();
    assertThat(TokenShape.asToken(new byte[] {(byte) 0xff, '.', 'a', '.', 'b'})).isNull();
  }
}
