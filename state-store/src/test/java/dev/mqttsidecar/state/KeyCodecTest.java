package dev.mqttsidecar.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.subscription.TopicRules;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyCodecTest {

  @Test
  void escapesWildcardsNulPercentAndControls() {
    assertThat(KeyCodec.encode("a+b#c%d\0e")).isEqualTo("a%2Bb%23c%25d%00e");
    assertThat(KeyCodec.encode("tab\there\u007f\u0085")).isEqualTo("tab%09here%7F%C2%85");
    assertThat(KeyCodec.encode("\uFFFE\uFDD0")).isEqualTo("%EF%BF%BE%EF%B7%90");
  }

  @Test
  void escapesTheReplacementCharacterWhichTheBrokerRefusesInTopics() {
    String topic = new StateTopics("$dapr/state/s/").topicOf("bad\uFFFDbyte");
    assertThat(topic).isEqualTo("$dapr/state/s/bad%EF%BF%BDbyte");
    assertThat(TopicRules.SPEC.nameProblem(topic)).isNull();
    assertThat(KeyCodec.decode("bad%EF%BF%BDbyte")).contains("bad\uFFFDbyte");
  }

  @Test
  void keepsSlashesUnicodeAndDaprSeparators() {
    String key = "myapp||devices/ümlaut/日本/😀/$x";
    assertThat(KeyCodec.encode(key)).isEqualTo(key);
    assertThat(KeyCodec.decode(key)).contains(key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "//",
        "a//b",
        "/lead",
        "trail/",
        "%",
        "%25",
        "+",
        "#",
        "+/#",
        "%%2B",
        "a b",
        "\0",
        "app||k||x",
        "😀",
        "\uD83D\uDE00/%F0"
      })
  void roundTripsEdgeCases(String key) {
    String encoded = KeyCodec.encode(key);
    assertThat(encoded).doesNotContain("+", "#", "\0");
    assertThat(KeyCodec.decode(encoded)).contains(key);
  }

  @Test
  void roundTripsRandomUnicodeKeys() {
    Random random = new Random(20261122);
    int[] interesting = {'%', '+', '#', '/', 0, 0x1F, 0x7F, 0x9F, 0xFFFE, 0xFDD0, '|', '$', ' '};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder key = new StringBuilder();
      int length = random.nextInt(24);
      for (int j = 0; j < length; j++) {
        int cp =
            switch (random.nextInt(4)) {
              case 0 -> interesting[random.nextInt(interesting.length)];
              case 1 -> random.nextInt(0x80);
              case 2 -> random.nextInt(0x10000);
              default -> random.nextInt(Character.MAX_CODE_POINT + 1);
            };
        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
          continue; // an unpaired surrogate is not a string a key can be
        }
        key.appendCodePoint(cp);
      }
      String k = key.toString();
      String encoded = KeyCodec.encode(k);
      assertThat(encoded).doesNotContain("+", "#", "\0");
      assertThat(KeyCodec.decode(encoded)).as("key %s", k).contains(k);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"%", "%2", "%zz", "a%2b", "%41", "100%", "%C3", "%FF", "k%2Fv"})
  void rejectsTopicsThatAreNotCanonicalEncodings(String topicSuffix) {
    // %41 is "A", which encode leaves alone; %2b is lowercase; %2F is "/", never escaped.
    assertThat(KeyCodec.decode(topicSuffix)).isEmpty();
  }

  @Test
  void rejectsUnpairedSurrogates() {
    assertThatThrownBy(() -> KeyCodec.encode("a\uD800b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
