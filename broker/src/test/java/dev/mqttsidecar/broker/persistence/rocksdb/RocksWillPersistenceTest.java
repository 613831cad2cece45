package dev.mqttsidecar.broker.persistence.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StoredWill;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

@Timeout(60)
class RocksWillPersistenceTest {
  @TempDir Path tmp;

  private static StoredWill will(String clientId) {
    MessageProperties props =
        new MessageProperties(
            true,
            "text/plain",
            "replies/" + clientId,
            new byte[] {1, 2, 3},
            List.of(new UserProperty("site", "hall 4")));
    return new StoredWill(
        clientId,
        new Message(
            "status/" + clientId, "offline".getBytes(UTF_8), Qos.AT_LEAST_ONCE, true, props, null),
        Duration.ofSeconds(90),
        Duration.ofSeconds(2),
        Duration.ofSeconds(4_294_967_295L)); // the largest Session Expiry Interval
  }

  @Test
  void willsSurviveAReopenWithEveryFieldAndDeletedOnesStayGone() {
    Path dir = tmp.resolve("data");
    StoredWill plain =
        new StoredWill(
            "plain",
            Message.of("status/plain", new byte[0], Qos.AT_MOST_ONCE, false),
            null,
            Duration.ZERO,
            Duration.ZERO);
    try (RocksStorage storage = RocksStorage.open(StoreConfig.fsync(dir), Clock.systemUTC())) {
      storage.wills().save(will("dev/1")).join();
      storage.wills().save(will("gone")).join();
      storage.wills().save(plain).join();
      storage.wills().delete("gone").join();
      storage.wills().delete("never-stored").join();
    }
    try (RocksStorage storage = RocksStorage.open(StoreConfig.fsync(dir), Clock.systemUTC())) {
      assertThat(storage.loadWills()).containsOnlyKeys("dev/1", "plain");
      assertThat(storage.loadWills().get("dev/1")).isEqualTo(will("dev/1"));
      assertThat(storage.loadWills().get("plain")).isEqualTo(plain);
    }
  }

  @Test
  void aSecondWillOfAClientReplacesTheFirst() {
    try (RocksStorage storage =
        RocksStorage.open(StoreConfig.fsync(tmp.resolve("data")), Clock.systemUTC())) {
      storage.wills().save(will("dev")).join();
      StoredWill second =
          new StoredWill(
              "dev",
              Message.of("status/dev", "second".getBytes(UTF_8), Qos.EXACTLY_ONCE, false),
              null,
              Duration.ofSeconds(5),
              Duration.ofSeconds(60));
      storage.wills().save(second).join();
      assertThat(storage.loadWills()).containsExactlyEntriesOf(java.util.Map.of("dev", second));
    }
  }

  @Test
  void aDamagedWillRecordStopsTheStartNamingTheClient() {
    Path dir = tmp.resolve("data");
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      store.put(Column.WILLS, WillCodec.key("sensor-9"), new byte[] {1, 0, 5}).join();
    }
    try (RocksStorage storage = RocksStorage.open(StoreConfig.fsync(dir), Clock.systemUTC())) {
      assertThatThrownBy(storage::loadWills)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("will of 'sensor-9'");
    }
  }

  /**
   * A store written before wills were stored has no wills family: it opens, gains the family, and
   * keeps its data.
   */
  @Test
  void aStoreWithoutTheWillsFamilyOpensAndGainsIt() throws Exception {
    Path dir = tmp.resolve("data");
    List<ColumnFamilyDescriptor> families = new ArrayList<>();
    families.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
    for (Column c : Column.values()) {
      if (!c.addedLater()) {
        families.add(new ColumnFamilyDescriptor(c.familyName()));
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB db = RocksDB.open(options, dir.toString(), families, handles)) {
      ColumnFamilyHandle meta = handles.get(1 + Column.META.ordinal());
      db.put(
          meta,
          RocksStore.FORMAT_KEY,
          ByteBuffer.allocate(4).putInt(RocksStore.FORMAT_VERSION).array());
      db.put(handles.get(1 + Column.RETAINED.ordinal()), "a/b".getBytes(UTF_8), new byte[] {7});
      handles.forEach(ColumnFamilyHandle::close);
    }
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      assertThat(store.get(Column.RETAINED, "a/b".getBytes(UTF_8))).containsExactly(7);
      store.put(Column.WILLS, WillCodec.key("dev"), WillCodec.encode(will("dev"))).join();
    }
    try (RocksStorage storage = RocksStorage.open(StoreConfig.fsync(dir), Clock.systemUTC())) {
      assertThat(storage.loadWills()).containsOnlyKeys("dev");
    }
  }
}
