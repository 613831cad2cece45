package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.RetainedPersistence.Change;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RocksStorageTest {
  @TempDir Path tmp;

  private static RetainedMessage retained(String topic, long version) {
    return new RetainedMessage(Message.of(topic, new byte[] {1}, Qos.AT_LEAST_ONCE, true), version);
  }

  @Test
  void durableModeRestoresRetainedAndQueues() {
    StoreConfig config = StoreConfig.fsync(tmp.resolve("data"));
    try (RocksStorage storage = RocksStorage.open(config, Clock.systemUTC())) {
      storage.retained().write(List.of(new Change("t", retained("t", 3)))).join();
      storage.queues().append("session-1", 1, retained("q", 1).message()).join();
      assertThat(storage.describe()).contains(tmp.resolve("data").toString()).contains("fsync");
    }
    try (RocksStorage storage = RocksStorage.open(config, Clock.systemUTC())) {
      List<RetainedHeader> headers = new ArrayList<>();
      storage.retained().loadHeaders(headers::add);
      assertThat(headers).containsExactly(RetainedHeader.of(retained("t", 3)));
      assertThat(storage.retained().read("t")).contains(retained("t", 3));
      assertThat(storage.retained().versionHighWater()).isEqualTo(3);
      assertThat(storage.loadQueues()).containsOnlyKeys("session-1");
    }
  }

  @Test
  void parsesDurabilitySettings() {
    assertThat(Durability.parse(" Periodic ")).isEqualTo(Durability.PERIODIC);
    assertThat(Durability.FSYNC.configName()).isEqualTo("fsync");
    assertThatThrownBy(() -> Durability.parse("sometimes"))
        .hasMessageContaining("fsync, periodic or memory");
  }
}
