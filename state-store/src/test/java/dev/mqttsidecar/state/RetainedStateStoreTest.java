package dev.mqttsidecar.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetainedStateStoreTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private InMemoryRetainedStore retained;
  private RetainedStateStore store;

  @BeforeEach
  void setUp() {
    retained = new InMemoryRetainedStore(clock);
    store = new RetainedStateStore(retained, StoreConfig.defaults("s"), clock);
  }

  @Test
  void transactionAppliesInOrder() {
    put("k1", "v1", new Precondition.None());
    WriteOutcome outcome =
        store
            .apply(
                List.of(
                    new StateOp.Remove("k1", new Precondition.None()),
                    putOp("k2", "v2", new Precondition.None()),
                    new StateOp.Remove("k2", new Precondition.None()),
                    putOp("k3", "v3", new Precondition.None())))
            .join();
    assertThat(outcome).isInstanceOf(WriteOutcome.Applied.class);
    assertThat(store.get("k1")).isEmpty();
    assertThat(store.get("k2")).isEmpty();
    assertThat(value("k3")).isEqualTo("v3");
  }

  @Test
  void etagsInATransactionReferToTheStateBeforeIt() {
    String etag = put("k", "v1", new Precondition.None());
    long version = Long.parseLong(etag);
    WriteOutcome outcome =
        store
            .apply(
                List.of(
                    putOp("k", "v2", new Precondition.None()),
                    putOp("k", "v3", new Precondition.Version(version))))
            .join();
    assertThat(outcome).isInstanceOf(WriteOutcome.Applied.class);
    assertThat(value("k")).isEqualTo("v3");
  }

  @Test
  void aStaleEtagAnywhereAbortsTheWholeTransaction() {
    String etag = put("k", "v1", new Precondition.None());
    put("k", "v2", new Precondition.None());
    WriteOutcome outcome =
        store
            .apply(
                List.of(
                    putOp("other", "x", new Precondition.None()),
                    putOp("k", "v3", new Precondition.Version(Long.parseLong(etag)))))
            .join();
    assertThat(outcome)
        .isInstanceOfSatisfying(
            WriteOutcome.Failed.class,
            f -> assertThat(f.error()).isInstanceOf(StateError.EtagMismatch.class));
    assertThat(store.get("other")).isEmpty();
    assertThat(value("k")).isEqualTo("v2");
  }

  @Test
  void conflictingConditionsOnOneKeyCannotBothHold() {
    String etag = put("k", "v1", new Precondition.None());
    WriteOutcome outcome =
        store
            .apply(
                List.of(
                    putOp("k", "a", new Precondition.Version(Long.parseLong(etag))),
                    putOp("k", "b", new Precondition.Absent())))
            .join();
    assertThat(outcome).isInstanceOf(WriteOutcome.Failed.class);
    assertThat(value("k")).isEqualTo("v1");
  }

  @Test
  void subscribersSeeEachTopicsFinalValueOnce() {
    List<Message> seen = new ArrayList<>();
    retained.onPublish(seen::add);
    store
        .apply(
            List.of(
                putOp("a", "1", new Precondition.None()),
                putOp("a", "2", new Precondition.None()),
                putOp("b", "3", new Precondition.None())))
        .join();
    assertThat(seen)
        .extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
        .containsExactly("2", "3");
  }

  @Test
  void ttlBecomesMessageExpiry() {
    store
        .apply(
            List.of(
                new StateOp.Put(
                    "t",
                    bytes("v"),
                    null,
                    Optional.of(Duration.ofSeconds(10)),
                    new Precondition.None())))
        .join();
    assertThat(store.get("t").orElseThrow().expiresAt()).isEqualTo(clock.instant().plusSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(store.get("t")).isEmpty();
  }

  @Test
  void invalidWritesChangeNothing() {
    WriteOutcome tooBig =
        store
            .apply(
                List.of(
                    putOp("ok", "v", new Precondition.None()),
                    new StateOp.Put(
                        "big",
                        new byte[4 * 1024 * 1024 + 1],
                        null,
                        Optional.empty(),
                        new Precondition.None())))
            .join();
    assertThat(tooBig)
        .isInstanceOfSatisfying(
            WriteOutcome.Failed.class,
            f -> assertThat(f.error().message()).contains("maxValueBytes"));
    WriteOutcome empty = store.apply(List.of(putOp("e", "", new Precondition.None()))).join();
    assertThat(empty).isInstanceOf(WriteOutcome.Failed.class);
    assertThat(store.get("ok")).isEmpty();
  }

  @Test
  void storageFailureIsUnavailable() {
    retained.failStorage(true);
    WriteOutcome outcome = store.apply(List.of(putOp("k", "v", new Precondition.None()))).join();
    assertThat(outcome)
        .isInstanceOfSatisfying(
            WriteOutcome.Failed.class,
            f -> assertThat(f.error()).isInstanceOf(StateError.Unavailable.class));
  }

  @Test
  void topicsThatAreNotCanonicalKeysAreInvisibleToQueries() {
    retained.publishRetained(
        Message.of(
            "$dapr/state/s/bad%zz", bytes("{}"), dev.mqttsidecar.broker.Qos.AT_LEAST_ONCE, true));
    put("good", "{}", new Precondition.None());
    assertThat(store.query(dev.mqttsidecar.state.query.StateQuery.all()).items())
        .extracting(StateEntry::key)
        .containsExactly("good");
  }

  private String put(String key, String value, Precondition p) {
    WriteOutcome o = store.apply(List.of(putOp(key, value, p))).join();
    return ((WriteOutcome.Applied) o).etags().get(0);
  }

  private String value(String key) {
    return new String(store.get(key).orElseThrow().value(), StandardCharsets.UTF_8);
  }

  private static StateOp.Put putOp(String key, String value, Precondition p) {
    return new StateOp.Put(key, bytes(value), null, Optional.empty(), p);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
