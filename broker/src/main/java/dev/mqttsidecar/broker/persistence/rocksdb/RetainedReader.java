package dev.mqttsidecar.broker.persistence.rocksdb;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Retained messages for a broker that keeps only {@link RetainedHeader}s in memory: payloads are
 * read from the store through a cache bounded in bytes, so memory stays bounded when the data does
 * not fit in it.
 *
 * <p>Writes go through {@link #write} (instead of straight to the persistence) so a read never sees
 * an older value than one already written: a written value is served from a pending map until the
 * store has applied it, then from the cache or the store.
 */
public final class RetainedReader implements RetainedPersistence {
  /** One written value; identity tells a later write of the same topic apart. */
  private static final class Written {
    final Optional<RetainedMessage> value;

    Written(Optional<RetainedMessage> value) {
      this.value = value;
    }
  }

  private final RocksStore store;
  private final RocksRetainedPersistence persistence;
  private final Cache<String, Optional<RetainedMessage>> cache;
  private final ConcurrentHashMap<String, Written> pending = new ConcurrentHashMap<>();

  /**
   * @param maxCacheBytes bound of the cache, counted as payload plus topic bytes plus overhead
   */
  public RetainedReader(
      RocksStore store, RocksRetainedPersistence persistence, long maxCacheBytes) {
    this.store = store;
    this.persistence = persistence;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxCacheBytes)
            .weigher(
                (String topic, Optional<RetainedMessage> m) ->
                    96 + 2 * topic.length() + m.map(r -> r.message().payloadSize()).orElse(0))
            .recordStats()
            .build();
  }

  /** Visits the header of every stored retained message, for rebuilding the in-memory index. */
  public void loadHeaders(Consumer<RetainedHeader> visitor) {
    store.scan(
        Column.RETAINED,
        null,
        null,
        (key, value) ->
            visitor.accept(
                MessageCodec.decodeRetainedHeader(new String(key, StandardCharsets.UTF_8), value)));
  }

  /** Full messages are not loaded into memory: use {@link #loadHeaders}. */
  @Override
  public List<RetainedMessage> loadAll() {
    return persistence.loadAll();
  }

  /** The current retained message of {@code topic}, or empty. Cache, then store. */
  public Optional<RetainedMessage> read(String topic) {
    Written written = pending.get(topic);
    if (written != null) {
      return written.value;
    }
    return cache.get(
        topic,
        t -> {
          byte[] value = store.get(Column.RETAINED, t.getBytes(StandardCharsets.UTF_8));
          return value == null
              ? Optional.empty()
              : Optional.of(MessageCodec.decodeRetained(t, value));
        });
  }

  @Override
  public CompletableFuture<Void> write(List<Change> batch) {
    Written[] written = new Written[batch.size()];
    for (int i = 0; i < written.length; i++) {
      Change c = batch.get(i);
      written[i] = new Written(Optional.ofNullable(c.value()));
      pending.put(c.topic(), written[i]);
      cache.put(c.topic(), written[i].value);
    }
    CompletableFuture<Void> durable = persistence.write(batch);
    // Applied (or failed: then callers saw the in-memory value anyway): from now on the store
    // answers.
    durable.whenComplete(
        (ok, err) -> {
          for (int i = 0; i < written.length; i++) {
            pending.remove(batch.get(i).topic(), written[i]);
          }
        });
    return durable;
  }

  /** Cache hit rate, for metrics. */
  public double hitRate() {
    return cache.stats().hitRate();
  }

  /** Approximate bytes held by the cache. */
  public long cachedBytes() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
  }
}
