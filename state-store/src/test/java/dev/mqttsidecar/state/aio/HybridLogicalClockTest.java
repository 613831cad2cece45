package dev.mqttsidecar.state.aio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {
  private static final long NOW = 1_696_374_425_000L;
  private final HybridLogicalClock hlc =
      new HybridLogicalClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), "StateStore");

  @Test
  void answersTheDocumentsExampleWithALaterTimestamp() {
    HybridLogicalClock.Timestamp request = HybridLogicalClock.parse(NOW + ":0:Client1");
    assertThat(hlc.next(request)).hasToString(NOW + ":1:StateStore");
  }

  @Test
  void neverIssuesTheSameTimestampTwiceAndFollowsALaterRequest() {
    HybridLogicalClock.Timestamp first = hlc.next(null);
    HybridLogicalClock.Timestamp second = hlc.next(null);
    assertThat(second.counter()).isGreaterThan(first.counter());
    HybridLogicalClock.Timestamp ahead = HybridLogicalClock.parse((NOW + 5000) + ":7:c");
    assertThat(hlc.next(ahead)).hasToString((NOW + 5000) + ":8:StateStore");
    assertThat(hlc.next(null)).hasToString((NOW + 5000) + ":9:StateStore");
  }

  @Test
  void refusesMalformedTimestampsAndSpotsOnesTooFarAhead() {
    assertThatThrownBy(() -> HybridLogicalClock.parse("123:4"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HybridLogicalClock.parse("x:0:n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HybridLogicalClock.parse("1:0:"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(hlc.tooFarAhead(HybridLogicalClock.parse((NOW + 60_000) + ":0:c"))).isFalse();
    assertThat(hlc.tooFarAhead(HybridLogicalClock.parse((NOW + 60_001) + ":0:c"))).isTrue();
  }
}
