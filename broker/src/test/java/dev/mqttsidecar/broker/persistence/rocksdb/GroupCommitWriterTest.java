package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StorageOverloadedException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

@Timeout(30)
class GroupCommitWriterTest {

  /** Records commits; each sync "takes" {@code syncMillis}. */
  static final class FakeSink implements CommitSink {
    final List<Long> applied = new ArrayList<>();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger syncs = new AtomicInteger();
    volatile long syncMillis;
    volatile Exception failWith;
    volatile CountDownLatch gate;

    @Override
    public void commit(List<WriteOp> ops, boolean sync) throws Exception {
      if (gate != null) {
        gate.await();
      }
      if (failWith != null) {
        throw failWith;
      }
      synchronized (applied) {
        for (WriteOp op : ops) {
          applied.add(ByteBuffer.wrap(((WriteOp.Put) op).key()).getLong());
        }
      }
      commits.incrementAndGet();
      if (sync) {
        sleep();
        syncs.incrementAndGet();
      }
    }

    @Override
    public void sync() {
      sleep();
      syncs.incrementAndGet();
    }

    private void sleep() {
      try {
        Thread.sleep(syncMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static StoreConfig config(Durability durability) {
    return StoreConfig.fsync(Path.of("unused")).withDurability(durability);
  }

  private static List<WriteOp> op(long n) {
    return List.of(
        new WriteOp.Put(Column.RETAINED, ByteBuffer.allocate(8).putLong(n).array(), new byte[1]));
  }

  @Test
  void concurrentWritersShareSyncs() throws Exception {
    FakeSink sink = new FakeSink();
    sink.syncMillis = 2;
    int writers = 64;
    int each = 20;
    try (GroupCommitWriter writer = new GroupCommitWriter(sink, "test", config(Durability.FSYNC))) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        long base = t * 1000L;
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < each; i++) {
                    writer
                        .submit(op(base + i))
                        .join(); // each writer waits for its ack, like a client
                  }
                });
        thread.start();
        threads.add(thread);
      }
      for (Thread t : threads) {
        t.join();
      }
      WriterStats stats = writer.stats();
      assertThat(stats.writes()).isEqualTo(writers * each);
      assertThat(stats.syncs()).isEqualTo(sink.syncs.get()).isLessThan(writers * each / 8);
    }
  }

  @Test
  void writesReachTheDiskInSubmissionOrder() throws Exception {
    FakeSink sink = new FakeSink();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    try (GroupCommitWriter writer = new GroupCommitWriter(sink, "test", config(Durability.FSYNC))) {
      for (long i = 0; i < 2_000; i++) {
        acks.add(writer.submit(op(i)));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }
    assertThat(sink.applied).hasSize(2_000).isSorted();
  }

  @Test
  void aFailedWriteIsNeverAcknowledged() {
    FakeSink sink = new FakeSink();
    sink.failWith =
        new RocksDBException(
            "No space left on device",
            new Status(Status.Code.IOError, Status.SubCode.NoSpace, "No space left on device"));
    try (GroupCommitWriter writer =
        new GroupCommitWriter(sink, "/data/x", config(Durability.FSYNC))) {
      CompletableFuture<Void> ack = writer.submit(op(1));
      assertThatThrownBy(() -> ack.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("disk full")
          .hasMessageContaining("/data/x");
      assertThat(writer.stats().failures()).isEqualTo(1);
      sink.failWith = null;
      assertThat(writer.submit(op(2))).succeedsWithin(Duration.ofSeconds(5));
    }
  }

  @Test
  void aFullQueueRefusesWithoutBlocking() throws Exception {
    FakeSink sink = new FakeSink();
    sink.gate = new CountDownLatch(1);
    try (GroupCommitWriter writer =
        new GroupCommitWriter(sink, "test", config(Durability.FSYNC).withMaxPendingWrites(4))) {
      List<CompletableFuture<Void>> accepted = new ArrayList<>();
      CompletableFuture<Void> refused = null;
      for (int i = 0; i < 100 && refused == null; i++) {
        CompletableFuture<Void> f = writer.submit(op(i));
        if (f.isCompletedExceptionally()) {
          refused = f;
        } else {
          accepted.add(f);
        }
      }
      assertThat(refused).isNotNull();
      assertThatThrownBy(refused::join).cause().isInstanceOf(StorageOverloadedException.class);
      assertThat(writer.stats().refused()).isEqualTo(1);
      sink.gate.countDown();
      CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void pendingBytesAreBoundedButOneLargeWriteStillGoesThrough() throws Exception {
    FakeSink sink = new FakeSink();
    sink.gate = new CountDownLatch(1);
    StoreConfig config = config(Durability.FSYNC).withMaxPendingBytes(1_000);
    try (GroupCommitWriter writer = new GroupCommitWriter(sink, "test", config)) {
      byte[] big = new byte[5_000];
      CompletableFuture<Void> alone =
          writer.submit(List.of(new WriteOp.Put(Column.RETAINED, new byte[8], big)));
      assertThat(alone).isNotCompletedExceptionally();
      // The writer holds the big one (blocked in the sink) or it still waits: either way new
      // writes fit until about 1,000 bytes wait.
      int accepted = 0;
      while (!writer.submit(op(accepted)).isCompletedExceptionally()) {
        accepted++;
        assertThat(accepted).isLessThan(100);
      }
      assertThat(accepted).isBetween(0, 1_000 / 25);
      sink.gate.countDown();
      alone.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void periodicModeAcknowledgesBeforeSyncAndSyncsOnInterval() throws Exception {
    FakeSink sink = new FakeSink();
    StoreConfig config = config(Durability.PERIODIC).withSyncInterval(Duration.ofMillis(20));
    try (GroupCommitWriter writer = new GroupCommitWriter(sink, "test", config)) {
      for (int i = 0; i < 100; i++) {
        writer.submit(op(i)).get(5, TimeUnit.SECONDS);
      }
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.syncs.get() > 0);
      assertThat(sink.syncs.get()).isBetween(1, 50);
    }
  }

  @Test
  void closeWritesWhatIsQueuedAndRefusesLaterWrites() {
    FakeSink sink = new FakeSink();
    GroupCommitWriter writer = new GroupCommitWriter(sink, "test", config(Durability.FSYNC));
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      acks.add(writer.submit(op(i)));
    }
    writer.close();
    acks.forEach(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
    assertThat(writer.submit(op(1))).isCompletedExceptionally();
  }
}
