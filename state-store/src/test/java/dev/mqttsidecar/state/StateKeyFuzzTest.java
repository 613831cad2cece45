package dev.mqttsidecar.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.util.Optional;

/**
 * State keys to retained topics and back ({@link StateTopics}, {@link KeyCodec}) on arbitrary
 * strings, unpaired surrogates included. A key either maps to a topic the broker takes as a PUBLISH
 * topic name and that maps back to the same key, or is refused with INVALID_ARGUMENT; a topic under
 * the prefix maps to no key, or to the one key whose topic it is.
 *
 * <p>Input: byte 0 bit 0 reads the rest as a topic suffix instead of a key, bit 1 picks the prefix;
 * the rest is UTF-16 (big endian), so any Java string can be written.
 */
class StateKeyFuzzTest {
  /** The spec's limits: the broker's configurable level limit is its own clear refusal. */
  private static final TopicRules BROKER = TopicRules.SPEC;

  private static final String[] PREFIXES = {
    StoreConfig.defaultTopicPrefix("statestore"), "plant/ü/"
  };

  @FuzzTest
  void keyAndTopic(byte[] input) {
    if (input.length == 0) {
      return;
    }
    StateTopics topics = new StateTopics(PREFIXES[(input[0] >> 1) & 1]);
    String text = utf16(input);
    if ((input[0] & 1) == 0) {
      keyRoundTrips(topics, text);
    } else {
      topicMapsToItsKey(topics, topics.prefix() + text);
    }
  }

  /**
   * The bytes after the first as UTF-16 code units, unpaired surrogates kept (a decoder would not).
   */
  private static String utf16(byte[] input) {
    char[] chars = new char[(input.length - 1) / 2];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ((input[1 + 2 * i] & 0xFF) << 8 | input[2 + 2 * i] & 0xFF);
    }
    return new String(chars);
  }

  private static void keyRoundTrips(StateTopics topics, String key) {
    String topic;
    try {
      topic = topics.topicOf(key);
    } catch (StateException e) {
      assertThat(e.error()).isInstanceOf(StateError.InvalidArgument.class);
      assertThat(e.getMessage()).containsAnyOf("invalid key", "key too long").hasSizeLessThan(200);
      return;
    }
    assertThat(BROKER.nameProblem(topic)).as("the broker's view of %s", topic).isNull();
    assertThat(topics.keyOf(topic)).as("the key of %s", topic).isEqualTo(Optional.of(key));
  }

  private static void topicMapsToItsKey(StateTopics topics, String topic) {
    Optional<String> key = topics.keyOf(topic);
    if (key.isPresent()) {
      assertThat(topics.topicOf(key.get())).isEqualTo(topic);
    }
  }
}
