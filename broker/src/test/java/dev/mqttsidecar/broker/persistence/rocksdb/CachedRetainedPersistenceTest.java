package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.CachedRetainedPersistence;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.RetainedPersistence.Change;
import dev.mqttsidecar.broker.testing.SwitchableRetainedPersistence;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CachedRetainedPersistenceTest {
  @TempDir Path tmp;

  private static RetainedMessage retained(String topic, int size, long version) {
    return new RetainedMessage(
        new Message(
            topic,
            new byte[size],
            Qos.AT_LEAST_ONCE,
            true,
            MessageProperties.NONE,
            Instant.parse("2030-01-01T00:00:00Z")),
        version);
  }

  private static CachedRetainedPersistence cached(RocksStore store, long bytes) {
    return new CachedRetainedPersistence(
        new RocksRetainedPersistence(store, Clock.systemUTC()), bytes);
  }

  @Test
  void payloadsComeFromTheStoreThroughABoundedCache() {
    Path dir = tmp.resolve("data");
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      CachedRetainedPersistence p = cached(store, 256 * 1024);
      for (int i = 1; i <= 200; i++) {
        p.write(List.of(new Change("t/" + i, retained("t/" + i, 10_000, i)))).join();
      }
      p.write(List.of(new Change("t/7", null))).join();
      for (int i = 1; i <= 200; i++) {
        assertThat(p.read("t/" + i))
            .as("t/%d", i)
            .isEqualTo(i == 7 ? Optional.empty() : Optional.of(retained("t/" + i, 10_000, i)));
      }
      p.read("t/1"); // settle the estimate after the reads above
      assertThat(p.cachedBytes()).isLessThanOrEqualTo(256 * 1024);
    }
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      CachedRetainedPersistence p = cached(store, 1 << 20);
      List<RetainedHeader> headers = new ArrayList<>();
      p.loadHeaders(headers::add);
      assertThat(headers).hasSize(199);
      assertThat(headers).contains(RetainedHeader.of(retained("t/42", 10_000, 42)));
      assertThat(p.read("t/42")).contains(retained("t/42", 10_000, 42));
      assertThat(p.versionHighWater()).isEqualTo(201); // the delete used a version too
    }
  }

  @Test
  void aReadNeverSeesAValueOlderThanAWrittenOne() {
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(tmp.resolve("data")))) {
      CachedRetainedPersistence p = cached(store, 1024);
      for (int v = 1; v <= 300; v++) {
        p.write(List.of(new Change("k", retained("k", 2_000, v)))); // not waiting: pending
        assertThat(p.read("k")).get().extracting(RetainedMessage::version).isEqualTo((long) v);
      }
    }
  }

  @Test
  void aFailedWriteIsTakenBack() {
    SwitchableRetainedPersistence store = new SwitchableRetainedPersistence();
    CachedRetainedPersistence p = new CachedRetainedPersistence(store, 1 << 20);
    p.write(List.of(new Change("k", retained("k", 10, 1)))).join();
    store.fail(true);
    CompletableFuture<Void> failed = p.write(List.of(new Change("k", retained("k", 10, 2))));
    assertThat(failed).isCompletedExceptionally();
    assertThat(p.read("k")).contains(retained("k", 10, 1));
  }
}
