package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.StorageException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  @Test
  void randomMessagesRoundTrip() {
    RandomMessages random = new RandomMessages(42);
    for (int i = 0; i < 5_000; i++) {
      Message m = random.next();
      assertThat(MessageCodec.decodeMessage(MessageCodec.encodeMessage(m))).isEqualTo(m);
      RetainedMessage r = new RetainedMessage(m, 1 + (i * 7919L) % 1_000_000_007L);
      assertThat(MessageCodec.decodeRetained(m.topic(), MessageCodec.encodeRetained(r)))
          .isEqualTo(r);
      assertThat(MessageCodec.decodeRetainedHeader(m.topic(), MessageCodec.encodeRetained(r)))
          .isEqualTo(RetainedHeader.of(r)); // the size a restore recomputes is the one written
    }
  }

  @Test
  void userPropertiesKeepOrderAndDuplicates() {
    List<UserProperty> users =
        List.of(new UserProperty("b", "1"), new UserProperty("a", "2"), new UserProperty("b", "3"));
    Message m =
        new Message(
            "t",
            new byte[] {1},
            Qos.EXACTLY_ONCE,
            false,
            MessageProperties.NONE.withUserProperties(users),
            null);
    assertThat(
            MessageCodec.decodeMessage(MessageCodec.encodeMessage(m)).properties().userProperties())
        .containsExactlyElementsOf(users);
  }

  @Test
  void plainMessageIsCompact() {
    Message m = Message.of("sensors/1", new byte[10], Qos.AT_LEAST_ONCE, true);
    // format + version + flags + user property count + payload length + payload
    assertThat(MessageCodec.encodeRetained(new RetainedMessage(m, 5)))
        .hasSize(1 + 1 + 1 + 1 + 1 + 10);
  }

  @Test
  void unknownFormatIsRefused() {
    byte[] record =
        MessageCodec.encodeMessage(Message.of("t", new byte[] {1}, Qos.AT_MOST_ONCE, false));
    record[0] = 99;
    assertThatThrownBy(() -> MessageCodec.decodeMessage(record))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("unknown record format 99");
  }

  @Test
  void truncatedRecordsAreRefusedNotMisread() {
    RandomMessages random = new RandomMessages(7);
    for (int i = 0; i < 200; i++) {
      byte[] record = MessageCodec.encodeMessage(random.next());
      byte[] cut = Arrays.copyOf(record, record.length - 1 - (i % Math.max(1, record.length - 1)));
      assertThatThrownBy(() -> MessageCodec.decodeMessage(cut))
          .isInstanceOf(StorageException.class);
    }
  }
}
