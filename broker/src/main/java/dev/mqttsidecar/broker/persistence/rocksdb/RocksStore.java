package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.StorageObserver;
import dev.mqttsidecar.broker.persistence.StorageException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's durable store: a RocksDB database in the data directory with one column family per
 * {@link Column}, and a {@link GroupCommitWriter} through which every write goes.
 *
 * <p>Opening never starts empty over existing data: a directory that holds a store is opened only
 * if it carries this broker's format version; one that holds other files, a corrupt store, a store
 * of another format, or one locked by another process stops startup with a {@link StorageException}
 * naming the directory.
 */
public final class RocksStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RocksStore.class);

  /** Version of the key and value layout; bumped on any incompatible change. */
  public static final int FORMAT_VERSION = 1;

  static final byte[] FORMAT_KEY =
      "format-version".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final String where;
  private final RocksDB db;
  private final Map<Column, ColumnFamilyHandle> handles;
  private final Deque<AutoCloseable> natives; // closed last-in first-out
  private final GroupCommitWriter writer;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private RocksStore(
      Path directory,
      RocksDB db,
      Map<Column, ColumnFamilyHandle> handles,
      Deque<AutoCloseable> natives,
      StoreConfig config) {
    this.directory = directory;
    this.where = directory.toString();
    this.db = db;
    this.handles = handles;
    this.natives = natives;
    RocksCommitSink sink = new RocksCommitSink(db, handles);
    natives.push(sink); // closed before the database, after the writer stopped
    this.writer = new GroupCommitWriter(sink, where, config);
  }

  /**
   * Opens (or creates) the store in {@code config.directory()}.
   *
   * @throws StorageException if the directory is unusable, holds something else, is corrupt, has
   *     another format version, or is locked by another process
   */
  public static RocksStore open(StoreConfig config) {
    if (config.durability() == Durability.MEMORY) {
      throw new IllegalArgumentException("memory mode uses no store (MemoryStorage)");
    }
    Path dir = config.directory().toAbsolutePath().normalize();
    String where = dir.toString();
    boolean existing = StoreDirectory.prepare(dir);
    Deque<AutoCloseable> natives = new ArrayDeque<>();
    List<ColumnFamilyHandle> opened = new ArrayList<>();
    RocksDB db = null;
    try {
      List<String> missing = existing ? StoreDirectory.missingFamilies(dir) : List.of();
      StoreOptions options = push(natives, new StoreOptions(config, existing));
      ColumnFamilyOptions cfOptions = options.columns;
      DBOptions dbOptions = options.db;
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
      for (Column c : Column.values()) {
        descriptors.add(new ColumnFamilyDescriptor(c.familyName(), cfOptions));
      }
      db = RocksDB.open(dbOptions, where, descriptors, opened);
      Map<Column, ColumnFamilyHandle> handles = new EnumMap<>(Column.class);
      for (Column c : Column.values()) {
        handles.put(c, opened.get(c.ordinal() + 1));
      }
      checkFormat(db, handles, opened, where, missing);
      // Handles go before the database and the options they use.
      push(natives, db);
      for (ColumnFamilyHandle h : opened) {
        push(natives, h);
      }
      RocksStore store =
          new RocksStore(dir, db, Collections.unmodifiableMap(handles), natives, config);
      log.info(
          "store opened in {} ({} durability, format {})",
          where,
          config.durability().configName(),
          FORMAT_VERSION);
      return store;
    } catch (RocksDBException e) {
      closeQuietly(opened, db, natives);
      throw StoreErrors.openFailed(where, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(opened, db, natives);
      throw e;
    }
  }

  private static <T extends AutoCloseable> T push(Deque<AutoCloseable> natives, T resource) {
    natives.push(resource);
    return resource;
  }

  private static void checkFormat(
      RocksDB db,
      Map<Column, ColumnFamilyHandle> handles,
      List<ColumnFamilyHandle> all,
      String where,
      List<String> missingFamilies)
      throws RocksDBException {
    byte[] marker = db.get(handles.get(Column.META), FORMAT_KEY);
    if (marker == null) {
      for (ColumnFamilyHandle h : all) {
        try (RocksIterator it = db.newIterator(h)) {
          it.seekToFirst();
          if (it.isValid()) {
            throw new StorageException(
                "store in "
                    + where
                    + " holds data but no format marker: it was not written by this"
                    + " broker; refusing to start over it. Choose another data directory.");
          }
          it.status();
        }
      }
      // A new store, or one whose creation was interrupted before any data: mark it.
      try (WriteOptions sync = new WriteOptions().setSync(true)) {
        db.put(
            handles.get(Column.META),
            sync,
            FORMAT_KEY,
            ByteBuffer.allocate(4).putInt(FORMAT_VERSION).array());
      }
      return;
    }
    if (marker.length != 4) {
      throw new StorageException(
          "store in " + where + " has an unreadable format marker; refusing to start.");
    }
    int version = ByteBuffer.wrap(marker).getInt();
    if (version != FORMAT_VERSION) {
      throw new StorageException(
          "store in "
              + where
              + " has format version "
              + version
              + " but this broker reads version "
              + FORMAT_VERSION
              + "; refusing to start. Use a matching broker version.");
    }
    if (!missingFamilies.isEmpty()) {
      throw new StorageException(
          "store in "
              + where
              + " lacks column families "
              + missingFamilies
              + "; refusing to start."
              + " Restore the directory from a backup.");
    }
  }

  private static void closeQuietly(
      List<ColumnFamilyHandle> handles, RocksDB db, Deque<AutoCloseable> natives) {
    handles.forEach(ColumnFamilyHandle::close);
    if (db != null) {
      db.close();
    }
    while (!natives.isEmpty()) {
      try {
        natives.pop().close();
      } catch (Exception ignored) {
        // Best effort while reporting the original failure.
      }
    }
  }

  /** The absolute data directory. */
  public Path directory() {
    return directory;
  }

  /** Submits an atomic write; see {@link GroupCommitWriter#submit}. */
  public CompletableFuture<Void> write(List<WriteOp> ops) {
    return writer.submit(ops);
  }

  /** Submits a single put. */
  public CompletableFuture<Void> put(Column column, byte[] key, byte[] value) {
    return writer.submit(List.of(new WriteOp.Put(column, key, value)));
  }

  /** Reads one value, or null. Sees every write whose future has completed. */
  public byte[] get(Column column, byte[] key) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return db.get(handles.get(column), key);
    } catch (RocksDBException e) {
      throw StoreErrors.readFailed(where, e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageException("store in " + where + " is closed");
    }
  }

  /** Receives entries of a scan. */
  @FunctionalInterface
  public interface Visitor {
    void visit(byte[] key, byte[] value);
  }

  /**
   * Visits every entry of {@code column} with {@code from <= key < to} in key order (null bounds
   * are open). Reads go through the block cache: with index blocks kept in the cache, a scan that
   * bypassed it would read an index block again for every data block.
   */
  public void scan(Column column, byte[] from, byte[] to, Visitor visitor) {
    lifecycle.readLock().lock();
    try (ReadOptions options = new ReadOptions().setReadaheadSize(4L << 20);
        Slice upper = to == null ? null : new Slice(to)) {
      checkOpen();
      if (upper != null) {
        options.setIterateUpperBound(upper);
      }
      try (RocksIterator it = db.newIterator(handles.get(column), options)) {
        if (from == null) {
          it.seekToFirst();
        } else {
          it.seek(from);
        }
        for (; it.isValid(); it.next()) {
          visitor.visit(it.key(), it.value());
        }
        it.status();
      }
    } catch (RocksDBException e) {
      throw StoreErrors.readFailed(where, e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  public WriterStats stats() {
    return writer.stats();
  }

  /** Who is told how long disk writes and fsyncs take. */
  public void observe(StorageObserver observer) {
    writer.observe(observer);
  }

  /** Writes what is queued, syncs, and releases the database and every native resource. */
  @Override
  public void close() {
    lifecycle.writeLock().lock(); // waits for reads in progress: natives are freed below
    try {
      closeLocked();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private void closeLocked() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      log.warn("final sync of store in {} failed: {}", where, e.getMessage());
    }
    while (!natives.isEmpty()) {
      AutoCloseable resource = natives.pop();
      try {
        if (resource instanceof RocksDB r) {
          r.closeE();
        } else {
          resource.close();
        }
      } catch (Exception e) {
        log.warn("closing store in {}: {}", where, e.toString());
      }
    }
    log.info("store in {} closed", where);
  }
}
