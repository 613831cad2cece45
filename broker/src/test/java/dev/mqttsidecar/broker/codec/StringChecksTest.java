package dev.mqttsidecar.broker.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringChecksTest {

  @Test
  void agreesWithTheStrictJdkDecoderOnEdgeCases() {
    int[][] cases = {
      {},
      {'a', '/', 'b'},
      {0xC2, 0x80}, // U+0080
      {0xC1, 0xBF}, // overlong
      {0xC0, 0x80}, // overlong U+0000
      {0xE0, 0x9F, 0x80}, // overlong 3-byte
      {0xE0, 0xA0, 0x80}, // U+0800
      {0xED, 0x9F, 0xBF}, // U+D7FF
      {0xED, 0xA0, 0x80}, // surrogate U+D800
      {0xEF, 0xBF, 0xBF}, // U+FFFF
      {0xF0, 0x8F, 0xBF, 0xBF}, // overlong 4-byte
      {0xF0, 0x90, 0x80, 0x80}, // U+10000
      {0xF4, 0x8F, 0xBF, 0xBF}, // U+10FFFF
      {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
      {0xF5, 0x80, 0x80, 0x80},
      {0x80},
      {0xE2, 0x82}, // truncated
      {'x', 0xF0, 0x9F, 0x98}, // truncated at the end
      {0xFF},
    };
    for (int[] c : cases) {
      byte[] bytes = new byte[c.length];
      for (int i = 0; i < c.length; i++) {
        bytes[i] = (byte) c[i];
      }
      assertAgrees(bytes);
    }
  }

  @Test
  void agreesWithTheStrictJdkDecoderOnRandomBytes() {
    Random random = new Random(42);
    int[] leads = {0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5};
    for (int n = 0; n < 200_000; n++) {
      byte[] bytes = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] =
            (byte)
                (random.nextBoolean()
                    ? leads[random.nextInt(leads.length)]
                    : 0x80 + random.nextInt(0x40));
      }
      assertAgrees(bytes);
    }
  }

  @Test
  void topicWithNulIsReported() {
    ByteBuf topic = topic(new byte[] {'a', 0, 'b'});
    assertThat(StringChecks.publishTopicProblem(topic, 0, topic.readableBytes()))
        .isEqualTo("topic contains U+0000"); // [MQTT-1.5.4-2]
    topic.release();
  }

  @Test
  void illFormedTopicIsReported() {
    ByteBuf topic = topic(new byte[] {'a', (byte) 0xC0, (byte) 0x80});
    assertThat(StringChecks.publishTopicProblem(topic, 0, topic.readableBytes()))
        .isEqualTo("topic is not well-formed UTF-8"); // [MQTT-1.5.4-1]
    topic.release();
  }

  private static ByteBuf topic(byte[] name) {
    ByteBuf b = Unpooled.buffer();
    b.writeShort(name.length).writeBytes(name);
    return b;
  }

  private static void assertAgrees(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      assertThat(StringChecks.isWellFormedUtf8(buf))
          .as("%s", java.util.HexFormat.of().formatHex(bytes))
          .isEqualTo(jdkAccepts(bytes));
    } finally {
      buf.release();
    }
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
