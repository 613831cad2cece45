package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log stays small while one column family is written all the time and another
 * seldom: a log file can only go once every column family with writes in it has flushed, so without
 * a bound on the log's total size one old session record keeps every later log file (and the store
 * grows for as long as the process runs, found by {@code mqtt-bench soak}).
 */
@Timeout(60)
class WriteAheadLogBoundTest {
  private static final int VALUE_BYTES = 16 << 10;
  private static final int KEYS = 256;
  private static final long WRITTEN = 96L << 20;

  @TempDir Path tmp;

  @Test
  void aSeldomWrittenColumnDoesNotKeepEveryLogFileAlive() throws Exception {
    Path dir = tmp.resolve("data");
    StoreConfig config = StoreConfig.fsync(dir).withDurability(Durability.PERIODIC);
    try (RocksStore store = RocksStore.open(config)) {
      store.put(Column.SESSIONS, bytes("session"), bytes("record")).join();
      byte[] value = new byte[VALUE_BYTES];
      for (long written = 0, n = 0; written < WRITTEN; written += VALUE_BYTES * 64L) {
        List<WriteOp> batch = new ArrayList<>(64);
        for (int i = 0; i < 64; i++, n++) {
          // The same few keys over and over: the live data stays under 4 MiB.
          batch.add(new WriteOp.Put(Column.RETAINED, bytes("t/" + n % KEYS), value));
        }
        store.write(batch).join();
      }
      // Obsolete log files are deleted by the flush that frees them, in the background.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (logBytes(dir) > 40L << 20 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000); // poll
      }
      assertThat(logBytes(dir))
          .as("bytes of write-ahead log after %d MiB written to 4 MiB of keys", WRITTEN >> 20)
          .isLessThan(40L << 20);
    }
  }

  private static long logBytes(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".log"))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // deleted meanwhile
                }
              })
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
