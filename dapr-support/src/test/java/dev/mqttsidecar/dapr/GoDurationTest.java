package dev.mqttsidecar.dapr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  /** Each row as Go's time.ParseDuration reads it, in nanoseconds. */
  @ParameterizedTest
  @CsvSource({
    "1m30s, 90000000000",
    "250ms, 250000000",
    "1h, 3600000000000",
    "2h45m10.5s, 9910500000000",
    "1.5h, 5400000000000",
    "+5s, 5000000000",
    ".5s, 500000000",
    "5.s, 5000000000",
    "0, 0",
    "0s, 0",
    "300us, 300000",
    "300µs, 300000",
    "300μs, 300000",
    "7ns, 7",
    "1h1m1s1ms1us1ns, 3661001001001",
    "1H30M, 5400000000000"
  })
  void readsGoDurations(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @CsvSource({"30, 30000", "1.5, 1500", "0.25, 250"})
  void aBareNumberIsSeconds(String text, long millis) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-1s",
        "soon",
        "Infinity",
        "NaN",
        "1d",
        "1h 30m",
        "s",
        "1..5s",
        "1e3s",
        "1s-1ms",
        "9999999999h"
      })
  void refusesWhatGoRefusesAndNegatives(String text) {
    assertThat(GoDuration.parse(text)).isNull();
  }

  @Test
  void metadataNamesTheKeyAndTheSyntaxOnABadDuration() {
    MetadataValues metadata = new MetadataValues(Map.of("redeliveryBackoff", "1 minute"));
    assertThatThrownBy(() -> metadata.duration("redeliveryBackoff", Duration.ZERO, Duration.ZERO))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("redeliveryBackoff")
        .hasMessageContaining("1m30s");
    assertThat(
            new MetadataValues(Map.of("redeliveryBackoff", "1m30s"))
                .duration("redeliveryBackoff", Duration.ZERO, Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(90));
  }
}
