package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.persistence.StorageException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A full disk fails writes and never acknowledges them. Needs a small file system, so it runs only
 * when pointed at one: {@code .ci/run} mounts an 8 MiB tmpfs (as root) and sets {@code
 * MQTT_SIDECAR_FULL_DISK_DIR} to it.
 */
@EnabledIfEnvironmentVariable(named = "MQTT_SIDECAR_FULL_DISK_DIR", matches = ".+")
@Timeout(120)
class FullDiskTest {

  @Test
  void writesFailWhenTheDiskIsFull() throws Exception {
    Path dir =
        Files.createTempDirectory(Path.of(System.getenv("MQTT_SIDECAR_FULL_DISK_DIR")), "store");
    try {
      fillAndRestart(dir);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void fillAndRestart(Path dir) {
    long acked = 0;
    Throwable failure = null;
    byte[] value = new byte[64 * 1024];
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      for (long i = 0; i < 100_000 && failure == null; i++) {
        try {
          store.put(Column.RETAINED, ByteBuffer.allocate(8).putLong(i).array(), value).join();
          acked++;
        } catch (CompletionException e) {
          failure = e.getCause();
        }
      }
      assertThat(failure).isInstanceOf(StorageException.class);
      System.out.printf(
          "full disk: %d writes acknowledged, then: %s%n", acked, failure.getMessage());
      // Later writes fail too: nothing is acknowledged that is not stored.
      CompletionException again =
          org.junit.jupiter.api.Assertions.assertThrows(
              CompletionException.class,
              () -> store.put(Column.RETAINED, new byte[] {1}, value).join());
      System.out.printf("next write: %s%n", again.getCause().getMessage());
      assertThat(store.stats().failures()).isGreaterThanOrEqualTo(1);
    }
    // Restart on the still-full disk: either everything acknowledged is back, or a clear refusal.
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      for (long i = 0; i < acked; i++) {
        assertThat(store.get(Column.RETAINED, ByteBuffer.allocate(8).putLong(i).array()))
            .isEqualTo(value);
      }
      System.out.printf("reopened on the full disk: %d acknowledged writes present%n", acked);
    } catch (StorageException e) {
      assertThat(e).hasMessageContaining(dir.toString());
      System.out.printf("reopen on the full disk refused: %s%n", e.getMessage());
    }
  }
}
