package dev.mqttsidecar.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttStringsTest {

  @Test
  void wellFormedStringsUpTo65535BytesPass() {
    assertThat(MqttStrings.problem("")).isNull();
    assertThat(MqttStrings.problem("text/plain; charset=ütf-8 😀 \uFFFD")).isNull();
    assertThat(MqttStrings.problem("x".repeat(65_535))).isNull();
    assertThat(MqttStrings.problem("ü".repeat(32_767) + "x")).isNull(); // 65535 bytes
  }

  @Test
  void nulUnpairedSurrogatesAndLongStringsAreNamed() {
    assertThat(MqttStrings.problem("a\u0000b")).isEqualTo("contains U+0000");
    assertThat(MqttStrings.problem("a\uD800")).contains("unpaired surrogate");
    assertThat(MqttStrings.problem("\uDC00a")).contains("unpaired surrogate");
    assertThat(MqttStrings.problem("x".repeat(65_536))).contains("longer than 65535 bytes");
    assertThat(MqttStrings.problem("ü".repeat(32_768))).contains("longer than 65535 bytes");
  }
}
