package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on the real engine: 64 concurrent fsync'd writers share syncs. */
@Timeout(60)
class GroupCommitRocksTest {
  @TempDir Path tmp;

  @Test
  void sixtyFourWritersNeedFarFewerSyncsThanWrites() throws Exception {
    int writers = 64;
    int each = 30;
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(tmp.resolve("data")))) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        int id = t;
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < each; i++) {
                    byte[] key = ("w" + id + "/" + i).getBytes(StandardCharsets.UTF_8);
                    store.put(Column.RETAINED, key, new byte[100]).join();
                  }
                });
        thread.start();
        threads.add(thread);
      }
      for (Thread t : threads) {
        t.join();
      }
      WriterStats stats = store.stats();
      System.out.printf("group commit: %d writes, %d syncs%n", stats.writes(), stats.syncs());
      assertThat(stats.writes()).isEqualTo(writers * each);
      assertThat(stats.failures()).isZero();
      assertThat(stats.syncs()).isEqualTo(stats.commits()).isLessThan(stats.writes() / 4);
    }
  }
}
