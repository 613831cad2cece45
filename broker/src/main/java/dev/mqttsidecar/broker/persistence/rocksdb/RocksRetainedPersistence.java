package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Retained messages in the {@link Column#RETAINED} column family, keyed by topic. A batch is one
 * atomic write; its future completes when it is durable. Reads go to the engine (its block cache);
 * the broker puts a {@link dev.mqttsidecar.broker.persistence.CachedRetainedPersistence} in front.
 *
 * <p>Versions never go back: with every batch the highest version it could have used is stored in
 * {@link Column#META} (a delete consumes a version too, though it stores no message), and {@link
 * #versionHighWater()} reads it back so a restarted broker never hands out an ETag again.
 *
 * <p>Does not own the store: {@link #close()} leaves it open.
 */
public final class RocksRetainedPersistence implements RetainedPersistence {
  static final byte[] HIGH_WATER_KEY =
      "retained-version-high-water".getBytes(StandardCharsets.UTF_8);

  private final RocksStore store;
  private final Clock clock;
  private long highWater; // guarded by this

  /**
   * @param clock wall clock: messages found expired at load are dropped and deleted
   */
  public RocksRetainedPersistence(RocksStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    byte[] stored = store.get(Column.META, HIGH_WATER_KEY);
    this.highWater = stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
  }

  /**
   * Every unexpired retained message, payloads included (for tools and tests; the broker loads only
   * {@link #loadHeaders headers}).
   */
  public List<RetainedMessage> loadAll() {
    List<RetainedMessage> out = new ArrayList<>();
    loadHeaders(h -> read(h.topic()).ifPresent(out::add));
    return out;
  }

  /**
   * Visits the header of every unexpired retained message, decoding no payload. Expired ones are
   * skipped and deleted (their versions stay covered by {@link #versionHighWater()}).
   */
  @Override
  public void loadHeaders(Consumer<RetainedHeader> visitor) {
    Instant now = clock.instant();
    List<WriteOp> expired = new ArrayList<>();
    long[] maxVersion = {0};
    store.scan(
        Column.RETAINED,
        null,
        null,
        (key, value) -> {
          RetainedHeader h =
              MessageCodec.decodeRetainedHeader(new String(key, StandardCharsets.UTF_8), value);
          maxVersion[0] = Math.max(maxVersion[0], h.version());
          if (h.isExpired(now)) {
            expired.add(new WriteOp.Delete(Column.RETAINED, key));
          } else {
            visitor.accept(h);
          }
        });
    synchronized (this) {
      highWater = Math.max(highWater, maxVersion[0]);
    }
    if (!expired.isEmpty()) {
      store.write(expired); // best effort: a failure only means they are skipped again next time
    }
  }

  @Override
  public Optional<RetainedMessage> read(String topic) {
    byte[] value = store.get(Column.RETAINED, topic.getBytes(StandardCharsets.UTF_8));
    return value == null
        ? Optional.empty()
        : Optional.of(MessageCodec.decodeRetained(topic, value));
  }

  /**
   * The highest version ever given out, as far as this store knows; seed the version counter with
   * it.
   */
  @Override
  public synchronized long versionHighWater() {
    return highWater;
  }

  /** Callers submit batches in version order (the retained service does, under its write lock). */
  @Override
  public synchronized CompletableFuture<Void> write(List<Change> batch) {
    List<WriteOp> ops = new ArrayList<>(batch.size() + 1);
    for (Change c : batch) {
      byte[] key = c.topic().getBytes(StandardCharsets.UTF_8);
      if (c.value() == null) {
        highWater++;
        ops.add(new WriteOp.Delete(Column.RETAINED, key));
      } else {
        highWater = Math.max(highWater, c.value().version());
        ops.add(new WriteOp.Put(Column.RETAINED, key, MessageCodec.encodeRetained(c.value())));
      }
    }
    ops.add(
        new WriteOp.Put(
            Column.META, HIGH_WATER_KEY, ByteBuffer.allocate(8).putLong(highWater).array()));
    return store.write(ops);
  }
}
