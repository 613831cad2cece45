package dev.mqttsidecar.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.concurrent.Timers;
import dev.mqttsidecar.broker.testing.ManualScheduler;
import dev.mqttsidecar.broker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Session expiry (MQTT 5.0 section 3.1.2.11.2) with a clock and timers the test moves. */
class SessionExpiryTest {
  private static final Instant START = SessionFixture.START;
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final MutableClock clock = new MutableClock(START);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private boolean offline = true;
  private int ends;
  private final SessionExpiry expiry =
      new SessionExpiry(clock, scheduler, Runnable::run, () -> offline, () -> ends++);

  private void detach() {
    expiry.detached();
    expiry.arm();
  }

  @Test
  void aDetachedSessionEndsWhenItsIntervalHasPassed() {
    expiry.interval(MINUTE);
    detach();
    assertThat(expiry.disconnectedAt()).isEqualTo(START);
    scheduler.advance(Duration.ofSeconds(59));
    assertThat(ends).isZero();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ends).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aZeroIntervalEndsTheSessionWithItsConnection() {
    detach();
    assertThat(ends).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aReconnectCancelsTheTimer() {
    expiry.interval(MINUTE);
    detach();
    scheduler.advance(Duration.ofSeconds(30));
    expiry.attached();
    assertThat(expiry.disconnectedAt()).isNull();
    assertThat(scheduler.pending()).isZero();
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(ends).isZero();
  }

  @Test
  void aTimerThatFiresAfterAReconnectEndsNothing() {
    expiry.interval(MINUTE);
    detach();
    offline = false; // attached while the timer was already on its way
    scheduler.advance(MINUTE);
    assertThat(ends).isZero();
  }

  @Test
  void theIntervalSetAtDisconnectIsTheOneThatCounts() {
    expiry.interval(MINUTE); // CONNECT
    expiry.interval(Duration.ofSeconds(5)); // DISCONNECT with a new Session Expiry Interval
    detach();
    scheduler.advance(Duration.ofSeconds(4));
    assertThat(ends).isZero();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ends).isEqualTo(1);
  }

  @Test
  void aSecondDetachRestartsTheCount() {
    expiry.interval(MINUTE);
    detach();
    scheduler.advance(Duration.ofSeconds(30));
    detach();
    assertThat(scheduler.pending()).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(ends).isZero();
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(ends).isEqualTo(1);
  }

  @Test
  void aRestoredSessionCountsFromItsStoredDisconnect() {
    expiry.interval(MINUTE);
    Instant now = expiry.restored(START.minusSeconds(45));
    assertThat(now).isEqualTo(START);
    assertThat(expiry.disconnectedAt()).isEqualTo(START.minusSeconds(45));
    expiry.armAt(now);
    scheduler.advance(Duration.ofSeconds(14));
    assertThat(ends).isZero();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ends).isEqualTo(1);
  }

  @Test
  void aRestoredSessionPastItsIntervalEndsAtOnce() {
    expiry.interval(MINUTE);
    expiry.armAt(expiry.restored(START.minusSeconds(60)));
    assertThat(ends).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aSessionConnectedWhenTheBrokerStoppedCountsFromItsRestore() {
    expiry.interval(MINUTE);
    expiry.armAt(expiry.restored(null));
    assertThat(expiry.disconnectedAt()).isEqualTo(START);
    scheduler.advance(Duration.ofSeconds(59));
    assertThat(ends).isZero();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ends).isEqualTo(1);
  }

  @Test
  void aStoppedTimerArmsNothingAndFailsNothing() {
    scheduler.shutdown();
    expiry.interval(MINUTE);
    detach(); // the stored record's disconnect time counts at the next start
    expiry.cancel();
    assertThat(ends).isZero();
    assertThat((Object) Timers.after(scheduler, MINUTE, () -> {})).isNull();
  }
}
