package dev.mqttsidecar.broker.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicRulesTest {
  private final TopicRules rules = new TopicRules(20, 4);

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b", "/", "a//b", "$SYS/x", "ü/ö"})
  void validNames(String topic) {
    assertThat(rules.nameProblem(topic)).isNull();
  }

  @Test
  void invalidNames() {
    assertThat(rules.nameProblem("")).isNotNull(); // [MQTT-4.7.3-1]
    assertThat(rules.nameProblem("a/+")).isNotNull(); // [MQTT-3.3.2-2]
    assertThat(rules.nameProblem("a/#")).isNotNull();
    assertThat(rules.nameProblem("a\u0000b")).isNotNull(); // [MQTT-1.5.4-2]
    assertThat(rules.nameProblem("a\uD800")).isNotNull(); // unpaired surrogate [MQTT-1.5.4-1]
    assertThat(rules.nameProblem("a/b/c/d/e")).contains("levels");
    assertThat(rules.nameProblem("x".repeat(21))).contains("bytes");
    assertThat(rules.nameProblem("ü".repeat(11))).as("length counts UTF-8 bytes").contains("bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"#", "+", "a/+/b", "a/#", "+/+", "/#", "$share/g/a/#", "$share/g/#"})
  void validFilters(String filter) {
    assertThat(rules.parseFilter(filter).raw()).isEqualTo(filter);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a/#/b",
        "a#",
        "a/b+",
        "#/a",
        "$share/g",
        "$share//a",
        "$share/g+/a",
        "$share/g/"
      })
  void invalidFilters(String filter) {
    assertThatThrownBy(() -> rules.parseFilter(filter))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sharedFilterParts() {
    TopicFilter f = rules.parseFilter("$share/grp/a/+");
    assertThat(f.isShared()).isTrue();
    assertThat(f.shareGroup()).isEqualTo("grp");
    assertThat(f.filter()).isEqualTo("a/+");
    assertThat(f.literalPrefix()).isEqualTo("a/");
  }

  @Test
  void matching() {
    assertThat(rules.parseFilter("sport/#").matches("sport")).isTrue(); // [MQTT-4.7.1-2]
    assertThat(rules.parseFilter("sport/+").matches("sport")).isFalse();
    assertThat(rules.parseFilter("sport/+").matches("sport/")).isTrue();
    assertThat(rules.parseFilter("+/+").matches("/finance")).isTrue();
    assertThat(rules.parseFilter("#").matches("$SYS/x")).isFalse(); // [MQTT-4.7.2-1]
    assertThat(rules.parseFilter("+/x").matches("$SYS/x")).isFalse();
    assertThat(rules.parseFilter("$SYS/#").matches("$SYS/x")).isTrue();
  }
}
