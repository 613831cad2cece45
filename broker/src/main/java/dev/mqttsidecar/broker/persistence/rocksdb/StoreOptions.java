package dev.mqttsidecar.broker.persistence.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBufferManager;

/**
 * The engine's tuning, as native objects that must outlive the database and be closed after it.
 *
 * <p>Memory is bounded by {@code blockCacheBytes}: data blocks, index and filter blocks and
 * (through the write buffer manager) memtables are all charged to one cache.
 */
final class StoreOptions implements AutoCloseable {
  private final LRUCache cache;
  private final BloomFilter bloom;
  private final WriteBufferManager writeBuffers;
  final ColumnFamilyOptions columns;
  final DBOptions db;

  StoreOptions(StoreConfig config, boolean existing) {
    cache = new LRUCache(config.blockCacheBytes());
    bloom = new BloomFilter(10);
    writeBuffers = new WriteBufferManager(config.blockCacheBytes() / 2, cache);
    long writeBufferBytes = Math.max(1L << 20, config.blockCacheBytes() / 8);
    columns =
        new ColumnFamilyOptions()
            .setWriteBufferSize(writeBufferBytes)
            .setTableFormatConfig(
                new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setCacheIndexAndFilterBlocks(true)
                    .setPinL0FilterAndIndexBlocksInCache(true));
    db =
        new DBOptions()
            .setCreateIfMissing(!existing)
            .setCreateMissingColumnFamilies(true)
            .setParanoidChecks(true)
            // Replays the log up to the first damaged record: a torn tail after a crash holds only
            // writes never acknowledged, since each acknowledged group was synced before.
            .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
            .setWriteBufferManager(writeBuffers)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2)
            // A log file is deleted only once every column family with writes in it has flushed.
            // Rarely written ones (sessions, wills) would otherwise keep every log since their last
            // write alive: past this size their memtables are flushed, so the log stays this small.
            .setMaxTotalWalSize(2 * writeBufferBytes)
            .setMaxBackgroundJobs(2);
  }

  @Override
  public void close() {
    db.close();
    columns.close();
    writeBuffers.close();
    bloom.close();
    cache.close();
  }
}
