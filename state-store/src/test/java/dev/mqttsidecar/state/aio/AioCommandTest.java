package dev.mqttsidecar.state.aio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AioCommandTest {

  private static AioCommand parse(String... args) throws AioCommand.Refused {
    List<byte[]> bytes = new ArrayList<>();
    for (String arg : args) {
      bytes.add(arg.getBytes(StandardCharsets.UTF_8));
    }
    return AioCommand.parse(bytes);
  }

  @Test
  void readsSetWithItsOptionsInAnyOrderAndCase() throws Exception {
    AioCommand.Set set = (AioCommand.Set) parse("set", "k", "v", "px", "1500", "nex");
    assertThat(set.condition()).isEqualTo(AioCommand.Condition.ABSENT_OR_SAME_VALUE);
    assertThat(set.ttl()).contains(Duration.ofMillis(1500));
    AioCommand.Set veq = (AioCommand.Set) parse("SET", "k", "v", "VEQ", "old");
    assertThat(veq.condition()).isEqualTo(AioCommand.Condition.VALUE_EQUALS);
    assertThat(new String(veq.expected(), StandardCharsets.UTF_8)).isEqualTo("old");
    assertThat(((AioCommand.Set) parse("SET", "k", "v")).ttl()).isEmpty();
  }

  @Test
  void refusesWithTheProtocolsErrorTexts() {
    assertRefused("unknown command", "HGET", "k");
    assertRefused("wrong number of arguments", "GET");
    assertRefused("wrong number of arguments", "DEL", "a", "b");
    assertRefused("wrong number of arguments", "VDEL", "a");
    assertRefused("wrong number of arguments", "SET", "k");
    assertRefused("the key length is zero", "GET", "");
    assertRefused("syntax error", "SET", "k", "v", "XX");
    assertRefused("syntax error", "SET", "k", "v", "NX", "NEX");
    assertRefused("syntax error", "SET", "k", "v", "PX");
    assertRefused("syntax error", "SET", "k", "v", "PX", "0");
    assertRefused("syntax error", "SET", "k", "v", "PX", "-5");
    assertRefused("syntax error", "SET", "k", "v", "PX", "99999999999999999999");
    assertRefused("syntax error", "SET", "k", "v", "VEQ");
    assertRefused("syntax error", "KEYNOTIFY", "k", "GO");
  }

  @Test
  void readsKeyNotifyAndItsStop() throws Exception {
    assertThat(((AioCommand.KeyNotify) parse("KEYNOTIFY", "k")).stop()).isFalse();
    assertThat(((AioCommand.KeyNotify) parse("KEYNOTIFY", "k", "STOP")).stop()).isTrue();
  }

  private static void assertRefused(String message, String... args) {
    assertThatThrownBy(() -> parse(args))
        .isInstanceOf(AioCommand.Refused.class)
        .hasMessage(message);
  }
}
