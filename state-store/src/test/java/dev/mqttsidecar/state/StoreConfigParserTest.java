package dev.mqttsidecar.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.Qos;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigParserTest {

  @Test
  void defaults() {
    StoreConfig c = StoreConfigParser.parse("store", Map.of());
    assertThat(c.topicPrefix()).isEqualTo("$dapr/state/store/");
    assertThat(c.maxValueBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(c.maxTransactionOperations()).isEqualTo(1000);
    assertThat(c.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
  }

  @Test
  void readsKeysCaseInsensitivelyAndIgnoresDaprAndUnknownKeys() {
    StoreConfig c =
        StoreConfigParser.parse(
            "s",
            Map.of(
                "topicPrefix", "site/1/kv/",
                "MAXVALUEBYTES", "100",
                "maxTransactionOperations", " 7 ",
                "qos", "2",
                "maxBulkItems", "50",
                "maxResponseBytes", "4096",
                "actorStateStore", "true",
                "keyPrefix", "name",
                "somethingElse", "x"));
    assertThat(c).isEqualTo(new StoreConfig("site/1/kv/", 100, 7, Qos.EXACTLY_ONCE, 50, 4096));
  }

  @Test
  void instanceNamesAreEncodedIntoTheDefaultPrefix() {
    assertThat(StoreConfigParser.parse("a+b", Map.of()).topicPrefix())
        .isEqualTo("$dapr/state/a%2Bb/");
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> StoreConfigParser.parse("s", Map.of("maxValueBytes", "lots")))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("maxValueBytes");
    assertThatThrownBy(() -> StoreConfigParser.parse("s", Map.of("qos", "3")))
        .hasMessageContaining("qos");
    assertThatThrownBy(() -> StoreConfigParser.parse("s", Map.of("maxTransactionOperations", "0")))
        .hasMessageContaining("maxTransactionOperations");
    assertThatThrownBy(() -> StoreConfigParser.parse("s", Map.of("topicPrefix", "a/+/b/")))
        .hasMessageContaining("topicPrefix");
    assertThatThrownBy(() -> StoreConfigParser.parse("s", Map.of("topicPrefix", "")))
        .hasMessageContaining("topicPrefix");
  }
}
