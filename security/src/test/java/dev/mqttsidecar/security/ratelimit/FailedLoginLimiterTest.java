package dev.mqttsidecar.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mqttsidecar.broker.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailedLoginLimiterTest {
  private static final InetAddress A = address("192.0.2.1");
  private static final InetAddress B = address("192.0.2.2");

  private final MutableClock clock = new MutableClock();
  private final FailedLoginLimiter limiter =
      new FailedLoginLimiter(FailedLoginLimiter.Policy.DEFAULT, clock);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void captureLog() {
    log.start();
    ((Logger) LoggerFactory.getLogger(FailedLoginLimiter.class)).addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    ((Logger) LoggerFactory.getLogger(FailedLoginLimiter.class)).detachAppender(log);
  }

  private void fail(InetAddress address, int times) {
    for (int i = 0; i < times; i++) {
      limiter.failed(address);
    }
  }

  /** How long {@code address} stays refused from now, to the second. */
  private long refusedSeconds(InetAddress address) {
    long seconds = 0;
    while (limiter.isRefused(address) && seconds < 1000) {
      clock.advance(Duration.ofSeconds(1));
      seconds++;
    }
    return seconds;
  }

  @Test
  void refusesAnAddressAfterFiveFailuresForFiveSeconds() {
    fail(A, 4);
    assertThat(limiter.isRefused(A)).isFalse();
    fail(A, 1);
    assertThat(limiter.isRefused(A)).isTrue();
    assertThat(limiter.isRefused(B)).isFalse(); // per address
    assertThat(refusedSeconds(A)).isEqualTo(5);
  }

  @Test
  void theBackOffDoublesWithEachFurtherFailureUpToAMinute() {
    fail(A, 5);
    List<Long> backOffs = new java.util.ArrayList<>();
    backOffs.add(refusedSeconds(A));
    for (int i = 0; i < 6; i++) {
      fail(A, 1);
      backOffs.add(refusedSeconds(A));
    }
    assertThat(backOffs).containsExactly(5L, 10L, 20L, 40L, 60L, 60L, 60L);
  }

  @Test
  void aSuccessForgetsTheFailures() {
    fail(A, 4);
    limiter.succeeded(A);
    fail(A, 4);
    assertThat(limiter.isRefused(A)).isFalse();
    assertThat(limiter.size()).isEqualTo(1);
    limiter.succeeded(A);
    assertThat(limiter.size()).isZero();
  }

  @Test
  void failuresFurtherApartThanTheWindowAreForgotten() {
    for (int i = 0; i < 10; i++) {
      fail(A, 1);
      clock.advance(Duration.ofSeconds(61));
    }
    fail(A, 4);
    assertThat(limiter.isRefused(A)).isFalse(); // the ten spaced ones are forgotten
    fail(A, 1);
    assertThat(limiter.isRefused(A)).isTrue(); // failures within the window count
  }

  @Test
  void aQuietWindowAfterTheBackOffStartsAfresh() {
    fail(A, 7); // refused for 20 s
    clock.advance(Duration.ofSeconds(20 + 61));
    fail(A, 1);
    assertThat(limiter.isRefused(A)).isFalse();
  }

  @Test
  void theWindowCountsFromTheEndOfTheBackOff() {
    fail(A, 9); // refused for 60 s
    clock.advance(Duration.ofSeconds(60 + 30));
    fail(A, 1); // 30 s after the back-off ended: still remembered
    assertThat(refusedSeconds(A)).isEqualTo(60);
  }

  @Test
  void warnsOncePerAddressWhenItIsLimited() {
    fail(A, 8);
    fail(B, 5);
    List<String> warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).startsWith("5 failed logins from 192.0.2.1: refusing");
    assertThat(warnings.get(1)).contains("192.0.2.2");
    limiter.succeeded(A);
    fail(A, 5);
    assertThat(log.list).hasSize(3); // a new episode warns again
  }

  @Test
  void remembersABoundedNumberOfAddressesLeastRecentlySeenFirstOut() {
    FailedLoginLimiter small =
        new FailedLoginLimiter(
            new FailedLoginLimiter.Policy(
                2, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(60), 100),
            clock);
    for (int i = 0; i < 2; i++) {
      small.failed(A);
    }
    for (int i = 0; i < 10_000; i++) {
      small.failed(address("10.0." + (i / 256) + "." + (i % 256)));
      assertThat(small.size()).isLessThanOrEqualTo(100);
      if (i < 50) {
        assertThat(small.isRefused(A)).isTrue(); // looked at: stays recent
      }
    }
    assertThat(small.size()).isEqualTo(100);
    assertThat(small.isRefused(A)).isFalse(); // pushed out by newer addresses
  }
}
