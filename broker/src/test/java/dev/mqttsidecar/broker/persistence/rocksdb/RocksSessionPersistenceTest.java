package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.RestoredSession;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.persistence.StoredSession;
import dev.mqttsidecar.broker.persistence.StoredSubscription;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RocksSessionPersistenceTest {
  @TempDir Path tmp;

  private final Instant disconnected = Instant.parse("2026-01-01T00:00:00Z");

  private StoredSession session(String key) {
    return new StoredSession(
        key,
        "client-" + key,
        Duration.ofHours(1),
        disconnected,
        List.of(
            new StoredSubscription("sensors/+/temp", Qos.EXACTLY_ONCE, true, false, 2, 7),
            new StoredSubscription("$share/app/orders/#", Qos.AT_LEAST_ONCE, false, true, 0, 0),
            // retained messages still owed to it, up to a version past 32 bits
            new StoredSubscription("state/#", Qos.EXACTLY_ONCE, false, true, 1, 0, 1L << 40)));
  }

  @Test
  void sessionsResumeAfterRestartWithInflightAndInboundQos2() {
    Path dir = tmp.resolve("data");
    Message queued = Message.of("sensors/1/temp", new byte[] {42}, Qos.EXACTLY_ONCE, false);
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksSessionPersistence sessions = new RocksSessionPersistence(store);
      RocksQueuePersistence queues = new RocksQueuePersistence(store);
      sessions.save(session("a")).join();
      sessions.save(session("a\u0000b")).join();
      // One atomic write: the inbound QoS 2 message queued for "a" and its packet id recorded.
      store
          .write(
              List.of(
                  new WriteOp.Put(
                      Column.QUEUES, QueueKeys.key("a", 1), MessageCodec.encodeMessage(queued)),
                  RocksSessionPersistence.inboundQos2Op("a", 65535)))
          .join();
      store
          .write(List.of(RocksSessionPersistence.inflightOp("a", new StoredInflight(17, 1, false))))
          .join();
      store
          .write(List.of(RocksSessionPersistence.inflightOp("a", new StoredInflight(17, 1, true))))
          .join();
      store
          .write(
              List.of(
                  RocksSessionPersistence.inflightOp("a", new StoredInflight(3, 2, false)),
                  RocksSessionPersistence.inboundQos2Op("a", 9),
                  RocksSessionPersistence.releaseInboundQos2Op("a", 9)))
          .join();
      queues.append("a\u0000b", 1, queued).join();
    }
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      Map<String, RestoredSession> restored = new RocksSessionPersistence(store).loadSessions();
      assertThat(restored).containsOnlyKeys("a", "a\u0000b");
      RestoredSession a = restored.get("a");
      assertThat(a.session()).isEqualTo(session("a"));
      assertThat(a.inboundQos2()).isEqualTo(Set.of(65535));
      assertThat(a.inflight())
          .containsExactly(new StoredInflight(3, 2, false), new StoredInflight(17, 1, true));
      assertThat(new RocksQueuePersistence(store).loadQueue("a"))
          .containsExactly(new StoredQueueEntry(1, queued));

      new RocksSessionPersistence(store).delete("a").join();
      assertThat(new RocksSessionPersistence(store).loadSessions()).containsOnlyKeys("a\u0000b");
      assertThat(new RocksQueuePersistence(store).loadQueues()).containsOnlyKeys("a\u0000b");
    }
  }

  @Test
  void expiryCountsInWallClockTimeAcrossRestarts() {
    StoredSession s = session("a");
    assertThat(s.isExpired(disconnected.plus(Duration.ofMinutes(59)))).isFalse();
    assertThat(s.isExpired(disconnected.plus(Duration.ofHours(1)))).isTrue();
    StoredSession connected = new StoredSession("b", "b", Duration.ofSeconds(1), null, List.of());
    assertThat(connected.isExpired(Instant.MAX)).isFalse();
  }
}
