package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.StorageObserver;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StorageOverloadedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the only thread that writes to the store. Callers submit atomic writes into a
 * bounded queue and get a future; the writer takes everything waiting, merges it into one disk
 * write, syncs once, then completes all their futures. While one sync runs, the next group gathers,
 * so N concurrent writers share a sync instead of paying one each.
 *
 * <p>Order: writes are applied in submission order, so a caller that submits under its own lock (as
 * the retained service does) sees its order kept on disk.
 *
 * <p>Back-pressure: {@link #submit} never blocks (it is called from event loops and under locks).
 * When {@code maxPendingWrites} writes already wait, the returned future fails at once with {@link
 * StorageOverloadedException}; nothing of that write is stored.
 *
 * <p>Failures: if a merged write or its sync fails (for example a full disk), every write of the
 * group fails with a {@link StorageException} and none is acknowledged. Futures complete on a
 * separate single thread, in submission order, so callbacks never delay the next sync.
 */
public final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private record Pending(List<WriteOp> ops, long bytes, CompletableFuture<Void> done) {}

  /** Wakes the writer at close so it does not wait out its poll. */
  private static final Pending WAKE = new Pending(List.of(), 0, new CompletableFuture<>());

  private final CommitSink sink;
  private final String where;
  private final boolean syncEachGroup;
  private final long syncIntervalNanos;
  private final int maxGroupWrites;
  private final long maxPendingBytes;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final ArrayBlockingQueue<Pending> queue;
  private final ExecutorService completions;
  private final Thread thread;
  private final LongAdder writes = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private final LongAdder syncs = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private volatile StorageObserver observer = StorageObserver.NONE;
  private volatile boolean closed;
  private boolean unsynced; // writer thread only

  /**
   * @param sink the storage engine
   * @param where the data directory, for messages
   * @param config durability ({@link Durability#FSYNC} or {@link Durability#PERIODIC}) and limits
   */
  GroupCommitWriter(CommitSink sink, String where, StoreConfig config) {
    if (config.durability() == Durability.MEMORY) {
      throw new IllegalArgumentException("memory mode has no writer");
    }
    this.sink = sink;
    this.where = where;
    this.syncEachGroup = config.durability() == Durability.FSYNC;
    this.syncIntervalNanos = config.syncInterval().toNanos();
    this.maxGroupWrites = config.maxGroupWrites();
    this.maxPendingBytes = config.maxPendingBytes();
    this.queue = new ArrayBlockingQueue<>(config.maxPendingWrites());
    this.completions = Executors.newSingleThreadExecutor(r -> daemon(r, "store-completions"));
    this.thread = daemon(this::run, "store-writer");
    thread.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Queues an atomic write. The future completes when the write is durable (per the durability
   * mode), or fails if it could not be written or was refused. Never blocks.
   */
  public CompletableFuture<Void> submit(List<WriteOp> ops) {
    if (closed) {
      refused.increment();
      return CompletableFuture.failedFuture(
          new StorageException("store in " + where + " is closed"));
    }
    long bytes = 0;
    for (WriteOp op : ops) {
      bytes += op.weight();
    }
    Pending p = new Pending(List.copyOf(ops), bytes, new CompletableFuture<>());
    long waiting = pendingBytes.addAndGet(bytes);
    if (waiting > maxPendingBytes && waiting != bytes) {
      pendingBytes.addAndGet(-bytes);
      return refuse(waiting - bytes + " bytes are waiting for the disk of " + where);
    }
    if (!queue.offer(p)) {
      pendingBytes.addAndGet(-bytes);
      return refuse(queue.size() + " writes are waiting for the disk of " + where);
    }
    writes.increment();
    // Closed in between: the writer may have finished already, so take it back if still queued.
    if (closed && queue.remove(p)) {
      p.done.completeExceptionally(new StorageException("store in " + where + " is closed"));
    }
    return p.done;
  }

  private CompletableFuture<Void> refuse(String why) {
    refused.increment();
    return CompletableFuture.failedFuture(new StorageOverloadedException(why + "; write refused"));
  }

  /** Who is told how long disk writes and fsyncs take. */
  void observe(StorageObserver value) {
    this.observer = value;
  }

  public WriterStats stats() {
    return new WriterStats(writes.sum(), commits.sum(), syncs.sum(), failures.sum(), refused.sum());
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    long nextSync = System.nanoTime() + syncIntervalNanos;
    try {
      while (true) {
        long wait =
            syncEachGroup || !unsynced
                ? TimeUnit.MILLISECONDS.toNanos(50)
                : nextSync - System.nanoTime();
        Pending first = queue.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
        if (first != null && first != WAKE) {
          group.add(first);
          queue.drainTo(group, maxGroupWrites - 1);
          group.remove(WAKE);
          long taken = 0;
          for (Pending p : group) {
            taken += p.bytes();
          }
          pendingBytes.addAndGet(-taken);
          commit(group);
          group.clear();
        } else if (closed && queue.isEmpty()) {
          break;
        }
        if (unsynced && System.nanoTime() - nextSync >= 0) {
          syncNow();
          nextSync = System.nanoTime() + syncIntervalNanos;
        }
      }
      if (unsynced) {
        syncNow();
      }
    } catch (Throwable t) {
      log.error("store writer for {} stopped", where, t);
      closed = true;
      fail(group, t);
    }
  }

  private void commit(List<Pending> group) {
    List<WriteOp> ops;
    if (group.size() == 1) {
      ops = group.get(0).ops();
    } else {
      ops = new ArrayList<>();
      for (Pending p : group) {
        ops.addAll(p.ops());
      }
    }
    long start = System.nanoTime();
    try {
      sink.commit(ops, syncEachGroup);
    } catch (Throwable t) {
      failures.increment();
      log.warn("write to store in {} failed: {}", where, t.toString());
      fail(group, t);
      return;
    }
    observer.written(group.size(), System.nanoTime() - start, syncEachGroup);
    commits.increment();
    if (syncEachGroup) {
      syncs.increment();
    } else {
      unsynced = true;
    }
    List<Pending> done = List.copyOf(group);
    completions.execute(() -> done.forEach(p -> p.done().complete(null)));
  }

  private void syncNow() {
    try {
      long start = System.nanoTime();
      sink.sync();
      observer.synced(System.nanoTime() - start);
      syncs.increment();
      unsynced = false;
    } catch (Throwable t) {
      // Writes in the window were acknowledged already: the documented loss window of PERIODIC.
      log.error(
          "periodic sync of store in {} failed; recent writes may be lost on power loss", where, t);
    }
  }

  private void fail(List<Pending> group, Throwable cause) {
    StorageException e = StoreErrors.writeFailed(where, cause);
    List<Pending> failed = List.copyOf(group);
    completions.execute(() -> failed.forEach(p -> p.done().completeExceptionally(e)));
  }

  /** Stops accepting writes, writes (and syncs) everything already queued, then stops. */
  @Override
  public void close() {
    closed = true;
    queue.offer(WAKE); // if the queue is full the writer is busy and will see closed soon anyway
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.remove(WAKE);
    if (!left.isEmpty()) {
      fail(left, new StorageException("store in " + where + " closed before the write"));
    }
    completions.shutdown();
    try {
      if (!completions.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("store completions for {} did not finish in time", where);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
