package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.persistence.StoredWill;
import dev.mqttsidecar.broker.persistence.WillPersistence;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Wills in the {@link Column#WILLS} column family, one record per client id. */
final class RocksWillPersistence implements WillPersistence {
  private final RocksStore store;

  RocksWillPersistence(RocksStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> save(StoredWill will) {
    return store.put(Column.WILLS, WillCodec.key(will.clientId()), WillCodec.encode(will));
  }

  @Override
  public CompletableFuture<Void> delete(String clientId) {
    return store.write(List.of(new WriteOp.Delete(Column.WILLS, WillCodec.key(clientId))));
  }

  /** Every stored will, for the broker's start. */
  Map<String, StoredWill> load() {
    Map<String, StoredWill> wills = new LinkedHashMap<>();
    store.scan(
        Column.WILLS,
        null,
        null,
        (key, value) -> {
          String clientId = WillCodec.clientId(key);
          wills.put(clientId, WillCodec.decode(clientId, value));
        });
    return wills;
  }
}
