package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RocksQueuePersistenceTest {
  @TempDir Path tmp;

  private static Message msg(String topic, String body) {
    return Message.of(topic, body.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
  }

  @Test
  void queuesSurviveRestartInSequenceOrder() {
    Path dir = tmp.resolve("data");
    // Ids that are prefixes of each other or hold U+0000 must stay apart.
    String inProcess = "\u0000in-process/app";
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksQueuePersistence q = new RocksQueuePersistence(store);
      for (long seq : new long[] {300, 2, 10, -5}) {
        q.append("a", seq, msg("t/" + seq, "a" + seq));
      }
      q.append("ab", 1, msg("t", "ab1"));
      q.append(inProcess, 1, msg("t", "ip1"));
      q.append("a\u0000b", 1, msg("t", "a0b1"));
      q.append("gone", 1, msg("t", "x"));
      q.remove("a", 10);
      q.drop("gone").join();
    }
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksQueuePersistence q = new RocksQueuePersistence(store);
      Map<String, List<StoredQueueEntry>> queues = q.loadQueues();
      assertThat(queues).containsOnlyKeys("a", "ab", inProcess, "a\u0000b");
      assertThat(queues.get("a"))
          .extracting(StoredQueueEntry::sequence)
          .containsExactly(-5L, 2L, 300L);
      assertThat(queues.get("a").get(2).message()).isEqualTo(msg("t/300", "a300"));
      assertThat(q.loadQueue("ab"))
          .extracting(StoredQueueEntry::message)
          .containsExactly(msg("t", "ab1"));
      q.drop("a").join();
      assertThat(q.loadQueue("a")).isEmpty();
      assertThat(q.loadQueue("ab")).hasSize(1);
      assertThat(q.loadQueue("a\u0000b")).hasSize(1);
    }
  }
}
