package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.RetainedPersistence.Change;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RetainedReaderTest {
  @TempDir Path tmp;

  private static RetainedMessage retained(String topic, int size, long version) {
    return new RetainedMessage(
        new Message(
            topic,
            new byte[size],
            Qos.AT_LEAST_ONCE,
            true,
            dev.mqttsidecar.broker.MessageProperties.NONE,
            Instant.parse("2030-01-01T00:00:00Z")),
        version);
  }

  @Test
  void payloadsComeFromTheStoreThroughABoundedCache() {
    Path dir = tmp.resolve("data");
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksRetainedPersistence p = new RocksRetainedPersistence(store, Clock.systemUTC());
      RetainedReader reader = new RetainedReader(store, p, 256 * 1024);
      for (int i = 1; i <= 200; i++) {
        reader.write(List.of(new Change("t/" + i, retained("t/" + i, 10_000, i)))).join();
      }
      reader.write(List.of(new Change("t/7", null))).join();
      for (int i = 1; i <= 200; i++) {
        assertThat(reader.read("t/" + i))
            .as("t/%d", i)
            .isEqualTo(
                i == 7
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(retained("t/" + i, 10_000, i)));
      }
      reader.read("t/1"); // settle the estimate after the reads above
      assertThat(reader.cachedBytes()).isLessThanOrEqualTo(256 * 1024);
    }
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RetainedReader reader =
          new RetainedReader(
              store, new RocksRetainedPersistence(store, Clock.systemUTC()), 1 << 20);
      List<RetainedHeader> headers = new ArrayList<>();
      reader.loadHeaders(headers::add);
      assertThat(headers).hasSize(199);
      assertThat(headers)
          .contains(
              new RetainedHeader(
                  "t/42", 42, Qos.AT_LEAST_ONCE, Instant.parse("2030-01-01T00:00:00Z")));
      assertThat(reader.read("t/42")).contains(retained("t/42", 10_000, 42));
    }
  }

  @Test
  void aReadNeverSeesAValueOlderThanAWrittenOne() {
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(tmp.resolve("data")))) {
      RetainedReader reader =
          new RetainedReader(store, new RocksRetainedPersistence(store, Clock.systemUTC()), 1024);
      for (int v = 1; v <= 300; v++) {
        reader.write(List.of(new Change("k", retained("k", 2_000, v)))); // not waiting: pending
        assertThat(reader.read("k")).get().extracting(RetainedMessage::version).isEqualTo((long) v);
      }
    }
  }
}
