package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log stays bounded under a steady load when one column family is written rarely:
 * its unflushed write would otherwise keep every later log file alive.
 */
@Timeout(120)
class WalRetentionTest {
  private static final long CACHE = 8L << 20; // memtables: 1 MiB each, 4 MiB in all
  private static final int VALUE = 16 * 1024;
  private static final int BATCH = 64; // 1 MiB per write

  @TempDir Path tmp;

  @Test
  void aRarelyWrittenColumnFamilyDoesNotPinTheLogs() throws IOException {
    Path dir = tmp.resolve("data");
    StoreConfig config =
        new StoreConfig(
            dir,
            Durability.FSYNC,
            StoreConfig.DEFAULT_SYNC_INTERVAL,
            65_536,
            256L << 20,
            4_096,
            CACHE);
    byte[] value = new byte[VALUE];
    long largestLogs = 0;
    try (RocksStore store = RocksStore.open(config)) {
      store.put(Column.SESSIONS, b("session"), b("one write, then nothing")).join();
      // 48 MiB through the queues, each message written and then deleted, as a busy queue does.
      for (int round = 0; round < 48; round++) {
        List<WriteOp> puts = new ArrayList<>();
        List<WriteOp> deletes = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
          byte[] key = b("q-" + round + "-" + i);
          puts.add(new WriteOp.Put(Column.QUEUES, key, value));
          deletes.add(new WriteOp.Delete(Column.QUEUES, key));
        }
        store.write(puts).join();
        store.write(deletes).join();
        largestLogs = Math.max(largestLogs, logBytes(dir));
      }
      assertThat(store.get(Column.SESSIONS, b("session"))).isNotNull();
    }
    // The bound (half the engine's memory) plus the log being written and one being flushed.
    assertThat(largestLogs).isLessThan(CACHE / 2 + (4L << 20));
    try (RocksStore store = RocksStore.open(config)) {
      assertThat(store.get(Column.SESSIONS, b("session"))).isEqualTo(b("one write, then nothing"));
    }
  }

  private static long logBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".log"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0; // deleted meanwhile
                }
              })
          .sum();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
