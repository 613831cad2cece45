package dev.mqttsidecar.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void aStarMatchesAnyRunOfCharacters() {
    assertThat(new Glob("*").matches("")).isTrue();
    assertThat(new Glob("a*c").matches("abbc")).isTrue();
    assertThat(new Glob("a*c").matches("ac")).isTrue();
    assertThat(new Glob("a*b*c").matches("abc")).isTrue();
    assertThat(new Glob("a*b*c").matches("acbc")).isTrue();
    assertThat(new Glob("sensor-*").matches("sensor-17")).isTrue();
    assertThat(new Glob("sensor-*").matches("sensor")).isFalse();
    assertThat(new Glob("a*b*b").matches("ab")).isFalse(); // the parts must not overlap
    assertThat(new Glob("a*c").matches("abcd")).isFalse();
    assertThat(new Glob("abc").matches("abcd")).isFalse();
  }
}
