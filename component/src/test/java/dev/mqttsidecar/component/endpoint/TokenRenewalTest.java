package dev.mqttsidecar.component.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.component.endpoint.EndpointSettings.Authentication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token file is read again once the token in use nears its expiry, and a new token there
 * reconnects the connection that still uses the old one, and only that one.
 */
class TokenRenewalTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  @TempDir Path folder;

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final AtomicInteger reconnects = new AtomicInteger();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static String expiringIn(Duration d) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String claims = "{\"exp\":" + NOW.plus(d).getEpochSecond() + "}";
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  /** A renewal whose clock stands at {@code now}; {@code inUse} is called on each check. */
  private TokenRenewal renewal(Path file, Instant now, CountDownLatch checked, boolean inUse) {
    return new TokenRenewal(
        "test",
        new Credentials(new Authentication.Jwt(null, file), name -> null),
        scheduler,
        Clock.fixed(now, ZoneOffset.UTC),
        token -> {
          checked.countDown();
          return inUse;
        },
        reconnects::incrementAndGet);
  }

  @Test
  void aNewTokenInTheFileReconnectsOnceTheOldOneNearsItsExpiry() throws Exception {
    String old = expiringIn(Duration.ofSeconds(30));
    Path file = Files.writeString(folder.resolve("token"), expiringIn(Duration.ofHours(1)));
    CountDownLatch checked = new CountDownLatch(2); // before and after the file is read
    // The old token expires now: the file is read at once.
    renewal(file, NOW.plusSeconds(30), checked, true).connectedWith(old);
    assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
    scheduler.shutdown();
    assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reconnects.get()).isEqualTo(1);
  }

  @Test
  void theSameTokenInTheFileIsReadAgainLaterWithoutReconnecting() throws Exception {
    String token = expiringIn(Duration.ofSeconds(30));
    Path file = Files.writeString(folder.resolve("token"), token);
    CountDownLatch checked = new CountDownLatch(1);
    renewal(file, NOW.plusSeconds(30), checked, true).connectedWith(token);
    assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
    // The file read, then the next look at it scheduled.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.getQueue().size() == 1);
    assertThat(((Delayed) scheduler.getQueue().peek()).getDelay(TimeUnit.SECONDS))
        .isBetween(1L, TokenRenewal.CHECK.toSeconds());
    assertThat(reconnects.get()).isZero();
  }

  @Test
  void aConnectionThatMovedOnIsLeftAlone() throws Exception {
    String old = expiringIn(Duration.ofSeconds(30));
    Path file = Files.writeString(folder.resolve("token"), expiringIn(Duration.ofHours(1)));
    CountDownLatch checked = new CountDownLatch(1);
    renewal(file, NOW.plusSeconds(30), checked, false).connectedWith(old);
    assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
    scheduler.shutdown();
    assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reconnects.get()).isZero();
  }

  @Test
  void aLongTokenWaitsForItsLastMinuteAndNoTokenForNothing() throws Exception {
    Path file = Files.writeString(folder.resolve("token"), expiringIn(Duration.ofHours(1)));
    CountDownLatch never = new CountDownLatch(1);
    renewal(file, NOW, never, true).connectedWith(expiringIn(Duration.ofHours(1)));
    assertThat(scheduler.getQueue()).hasSize(1);
    assertThat(((Delayed) scheduler.getQueue().peek()).getDelay(TimeUnit.MINUTES)).isEqualTo(58L);
    renewal(file, NOW, never, true).connectedWith(null);
    assertThat(scheduler.getQueue()).hasSize(1);
  }
}
