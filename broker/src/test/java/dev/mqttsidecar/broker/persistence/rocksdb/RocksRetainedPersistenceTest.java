package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.broker.persistence.RetainedPersistence.Change;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RocksRetainedPersistenceTest {
  @TempDir Path tmp;
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);

  private static RetainedMessage retained(
      String topic, String value, long version, Instant expiresAt) {
    MessageProperties props =
        new MessageProperties(
            true,
            "text/plain",
            "reply/" + topic,
            new byte[] {9},
            List.of(new UserProperty("k", "1"), new UserProperty("k", "2")));
    return new RetainedMessage(
        new Message(
            topic,
            value.getBytes(StandardCharsets.UTF_8),
            Qos.AT_LEAST_ONCE,
            true,
            props,
            expiresAt),
        version);
  }

  @Test
  void retainedMessagesSurviveRestart() {
    Path dir = tmp.resolve("data");
    RetainedMessage a = retained("a/1", "one", 1, null);
    RetainedMessage b = retained("a/2", "two", 2, now.plusSeconds(3600));
    RetainedMessage a2 = retained("a/1", "uno", 4, null);
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksRetainedPersistence p = new RocksRetainedPersistence(store, clock);
      p.write(List.of(new Change("a/1", a), new Change("a/2", b))).join();
      p.write(List.of(new Change("gone", retained("gone", "x", 3, null)))).join();
      p.write(List.of(new Change("a/1", a2), new Change("gone", null))).join();
    }
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksRetainedPersistence p = new RocksRetainedPersistence(store, clock);
      assertThat(p.loadAll()).containsExactly(a2, b);
      // The delete of "gone" consumed a version after 4: a restarted broker must not reuse it.
      assertThat(p.versionHighWater()).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void expiredMessagesAreDroppedAtLoadAndDeleted() {
    Path dir = tmp.resolve("data");
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksRetainedPersistence p = new RocksRetainedPersistence(store, clock);
      p.write(
              List.of(
                  new Change("old", retained("old", "x", 7, now.minusSeconds(1))),
                  new Change("new", retained("new", "y", 2, now.plusSeconds(1)))))
          .join();
    }
    // Wall-clock expiry: an hour later both are past their time except none; fixed clock keeps
    // "new".
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksRetainedPersistence p = new RocksRetainedPersistence(store, clock);
      assertThat(p.loadAll()).extracting(m -> m.message().topic()).containsExactly("new");
      assertThat(p.versionHighWater()).isEqualTo(7);
    }
    Clock later = Clock.offset(clock, java.time.Duration.ofSeconds(2));
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      assertThat(new RocksRetainedPersistence(store, later).loadAll()).isEmpty();
      assertThat(store.get(Column.RETAINED, "old".getBytes(StandardCharsets.UTF_8))).isNull();
    }
  }

  @Test
  void topicsWithAnyUnicodeRoundTrip() {
    Path dir = tmp.resolve("data");
    RandomMessages random = new RandomMessages(3);
    java.util.Map<String, RetainedMessage> expected = new java.util.TreeMap<>();
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksRetainedPersistence p = new RocksRetainedPersistence(store, clock);
      for (int i = 1; i <= 300; i++) {
        Message m = random.next();
        RetainedMessage r =
            new RetainedMessage(
                new Message(m.topic(), m.payload(), m.qos(), true, m.properties(), null), i);
        expected.put(m.topic(), r);
        p.write(List.of(new Change(m.topic(), r)));
      }
    }
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      assertThat(new RocksRetainedPersistence(store, clock).loadAll())
          .containsExactlyInAnyOrderElementsOf(expected.values());
    }
  }
}
