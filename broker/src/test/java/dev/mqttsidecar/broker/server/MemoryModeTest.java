package dev.mqttsidecar.broker.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MemoryModeTest {
  @TempDir Path tmp;

  @Test
  void memoryModeTouchesNoDiskAndKeepsNothingAcrossRestarts() throws Exception {
    Path dir = tmp.resolve("never-created");
    BrokerConfig config =
        BrokerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .dataDirectory(dir)
            .durability(Durability.MEMORY)
            .build();
    EmbeddedBroker first = new EmbeddedBroker(config);
    first.start();
    try {
      assertThat(first.publish(Message.of("t", "v".getBytes(UTF_8), Qos.AT_LEAST_ONCE, true)))
          .succeedsWithin(Duration.ofSeconds(5))
          .matches(PublishResult::isAccepted);
      assertThat(first.retained().get("t")).isPresent();
    } finally {
      first.stop();
    }
    EmbeddedBroker second = new EmbeddedBroker(config);
    second.start();
    try {
      assertThat(second.retained().get("t")).isEmpty();
    } finally {
      second.stop();
    }
    assertThat(dir).doesNotExist();
  }
}
