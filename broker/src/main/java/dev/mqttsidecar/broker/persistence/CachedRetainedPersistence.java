package dev.mqttsidecar.broker.persistence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mqttsidecar.broker.RetainedMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Puts a cache bounded in bytes in front of a store's retained messages, so reads of hot topics do
 * not go to disk and memory stays bounded when the data does not fit in it.
 *
 * <p>A written value is served from a pending map until the store has taken it, so a read never
 * sees an older value than one already written. A failed write is taken back: its topics are read
 * from the store again.
 */
public final class CachedRetainedPersistence implements RetainedPersistence {
  /** Per-entry overhead assumed by the weigher: cache node, record, message and key objects. */
  private static final int ENTRY_OVERHEAD = 160;

  /** One written value; identity tells a later write of the same topic apart. */
  private static final class Written {
    final Optional<RetainedMessage> value;

    Written(Optional<RetainedMessage> value) {
      this.value = value;
    }
  }

  private final RetainedPersistence store;
  private final Cache<String, Optional<RetainedMessage>> cache;
  private final ConcurrentHashMap<String, Written> pending = new ConcurrentHashMap<>();

  /**
   * @param maxCacheBytes bound of the cache, counted as payload plus topic bytes plus overhead
   */
  public CachedRetainedPersistence(RetainedPersistence store, long maxCacheBytes) {
    this.store = store;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxCacheBytes)
            .weigher(
                (String topic, Optional<RetainedMessage> m) ->
                    ENTRY_OVERHEAD
                        + 2 * topic.length()
                        + m.map(r -> r.message().payloadSize()).orElse(0))
            .recordStats()
            .build();
  }

  @Override
  public void loadHeaders(Consumer<RetainedHeader> visitor) {
    store.loadHeaders(visitor);
  }

  @Override
  public long versionHighWater() {
    return store.versionHighWater();
  }

  @Override
  public Optional<RetainedMessage> read(String topic) {
    Written written = pending.get(topic);
    if (written != null) {
      return written.value;
    }
    return cache.get(topic, store::read);
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
    // The returned future completes after the pending entries are gone, so whoever waits on it
    // reads what the store has.
    return store
        .write(batch)
        .whenComplete(
            (ok, failure) -> {
              for (int i = 0; i < written.length; i++) {
                String topic = batch.get(i).topic();
                if (pending.remove(topic, written[i]) && failure != null) {
                  cache.invalidate(topic); // the latest write of the topic failed: back to disk
                }
              }
            });
  }

  @Override
  public void close() {
    store.close();
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
