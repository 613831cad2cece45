package dev.mqttsidecar.component.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** When a JWT read from a file is read again: before it expires, never after. */
class CredentialsTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private static String jwt(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  private static String expiringIn(Duration d) {
    return jwt("{\"exp\":" + NOW.plus(d).getEpochSecond() + "}");
  }

  @Test
  void anHourLongTokenIsReadAgainItsLastMinute() {
    assertThat(Credentials.renewalDelay(expiringIn(Duration.ofHours(1)), NOW))
        .isEqualTo(Duration.ofMinutes(59));
  }

  @Test
  void aShortTokenIsReadAgainInTheLastFifthOfItsLife() {
    assertThat(Credentials.renewalDelay(expiringIn(Duration.ofSeconds(100)), NOW))
        .isEqualTo(Duration.ofSeconds(80));
  }

  @Test
  void anExpiredTokenIsReadAgainAtOnce() {
    assertThat(Credentials.renewalDelay(expiringIn(Duration.ofSeconds(-30)), NOW))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void aTokenWithoutExpiryOrNoTokenIsNotScheduled() {
    assertThat(Credentials.renewalDelay(jwt("{\"sub\":\"app\"}"), NOW)).isNull();
    assertThat(Credentials.renewalDelay("not-a-jwt", NOW)).isNull();
    assertThat(Credentials.renewalDelay(null, NOW)).isNull();
  }
}
