package dev.mqttsidecar.broker.persistence.rocksdb;

import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** Writes merged groups to RocksDB as one {@link WriteBatch}: one log append, at most one sync. */
final class RocksCommitSink implements CommitSink, AutoCloseable {
  private final RocksDB db;
  private final Map<Column, ColumnFamilyHandle> handles;
  private final WriteOptions syncWrites = new WriteOptions().setSync(true);
  private final WriteOptions plainWrites = new WriteOptions();

  RocksCommitSink(RocksDB db, Map<Column, ColumnFamilyHandle> handles) {
    this.db = db;
    this.handles = handles;
  }

  @Override
  public void commit(List<WriteOp> ops, boolean sync) throws Exception {
    try (WriteBatch batch = new WriteBatch()) {
      for (WriteOp op : ops) {
        ColumnFamilyHandle cf = handles.get(op.column());
        if (op instanceof WriteOp.Put p) {
          batch.put(cf, p.key(), p.value());
        } else if (op instanceof WriteOp.Delete d) {
          batch.delete(cf, d.key());
        } else if (op instanceof WriteOp.DeleteRange r) {
          batch.deleteRange(cf, r.from(), r.to());
        }
      }
      db.write(sync ? syncWrites : plainWrites, batch);
    }
  }

  @Override
  public void sync() throws Exception {
    db.flushWal(true);
  }

  @Override
  public void close() {
    syncWrites.close();
    plainWrites.close();
  }
}
