package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.persistence.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

@Timeout(60)
class RocksStoreTest {
  @TempDir Path tmp;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesSurviveCloseAndReopen() {
    Path dir = tmp.resolve("data");
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        acks.add(store.put(Column.SESSIONS, b("k" + i), b("v" + i)));
      }
      acks.add(store.write(List.of(new WriteOp.Delete(Column.SESSIONS, b("k7")))));
      acks.forEach(CompletableFuture::join);
    }
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      assertThat(store.get(Column.SESSIONS, b("k42"))).isEqualTo(b("v42"));
      assertThat(store.get(Column.SESSIONS, b("k7"))).isNull();
      assertThat(store.get(Column.RETAINED, b("k42"))).isNull();
      List<String> keys = new ArrayList<>();
      store.scan(
          Column.SESSIONS,
          b("k1"),
          b("k2"),
          (k, v) -> keys.add(new String(k, StandardCharsets.UTF_8)));
      assertThat(keys).startsWith("k1", "k10").hasSize(11);
    }
  }

  @Test
  void aClosedStoreRefusesReadsAndWrites() {
    RocksStore store = RocksStore.open(StoreConfig.fsync(tmp.resolve("data")));
    store.close();
    store.close();
    assertThatThrownBy(() -> store.get(Column.META, b("k"))).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> store.scan(Column.META, null, null, (k, v) -> {}))
        .isInstanceOf(StorageException.class);
    assertThat(store.put(Column.META, b("k"), b("v"))).isCompletedExceptionally();
  }

  @Test
  void periodicModeKeepsWritesAcrossACleanClose() {
    Path dir = tmp.resolve("data");
    StoreConfig config = StoreConfig.fsync(dir).withDurability(Durability.PERIODIC);
    try (RocksStore store = RocksStore.open(config)) {
      store.put(Column.SESSIONS, b("k"), b("v")).join();
      assertThat(store.stats().syncs()).isZero();
    }
    try (RocksStore store = RocksStore.open(config)) {
      assertThat(store.get(Column.SESSIONS, b("k"))).isEqualTo(b("v"));
    }
  }

  @Test
  void refusesADirectoryHoldingOtherFiles() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(dir.resolve("notes.txt"), "precious");
    assertThatThrownBy(() -> RocksStore.open(StoreConfig.fsync(dir)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("notes.txt");
    assertThat(dir.resolve("notes.txt")).hasContent("precious");
  }

  @Test
  void refusesGarbageInCurrent() throws Exception {
    Path dir = storeWithData();
    Files.writeString(dir.resolve("CURRENT"), "\u0001\u0002garbage");
    assertRefused(dir);
  }

  @Test
  void refusesMissingCurrent() throws Exception {
    Path dir = storeWithData();
    Files.delete(dir.resolve("CURRENT"));
    assertThatThrownBy(() -> RocksStore.open(StoreConfig.fsync(dir)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("no CURRENT file");
  }

  @Test
  void refusesGarbageManifest() throws Exception {
    Path dir = storeWithData();
    try (Stream<Path> files = Files.list(dir)) {
      Path manifest =
          files
              .filter(p -> p.getFileName().toString().startsWith("MANIFEST-"))
              .findFirst()
              .orElseThrow();
      byte[] garbage = new byte[(int) Files.size(manifest)];
      new Random(1).nextBytes(garbage);
      Files.write(manifest, garbage);
    }
    assertRefused(dir);
  }

  @Test
  void refusesAnUnknownFormatVersion() {
    Path dir = tmp.resolve("data");
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      store
          .put(Column.META, RocksStore.FORMAT_KEY, ByteBuffer.allocate(4).putInt(999).array())
          .join();
    }
    assertThatThrownBy(() -> RocksStore.open(StoreConfig.fsync(dir)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("format version 999");
  }

  @Test
  void refusesADatabaseNotWrittenByThisBroker() throws Exception {
    Path dir = tmp.resolve("data");
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB other = RocksDB.open(options, dir.toString())) {
      other.put(b("someone"), b("else's data"));
    }
    assertThatThrownBy(() -> RocksStore.open(StoreConfig.fsync(dir)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("no format marker");
  }

  @Test
  void refusesAStoreInUse() {
    Path dir = tmp.resolve("data");
    try (RocksStore first = RocksStore.open(StoreConfig.fsync(dir))) {
      assertThatThrownBy(() -> RocksStore.open(StoreConfig.fsync(dir)))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("in use by another process");
      first.put(Column.META, b("still"), b("works")).join();
    }
  }

  @Test
  void refusesAnUnwritableDirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> RocksStore.open(StoreConfig.fsync(file.resolve("data"))))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString());
  }

  private Path storeWithData() {
    Path dir = tmp.resolve("data");
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      store.put(Column.RETAINED, b("a/b"), b("value")).join();
    }
    return dir;
  }

  private static void assertRefused(Path dir) {
    assertThatThrownBy(() -> RocksStore.open(StoreConfig.fsync(dir)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("refusing to start");
  }
}
