package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.RetainedPersistence.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage benchmark, not part of the normal build. Run with {@code mvn -pl broker test
 * -Dtest='dev.mqttsidecar.broker.persistence.rocksdb.StorageBenchmark' -Dstorage.bench=true
 * [-Dstorage.bench.seconds=3 (0: restart only)] [-Dstorage.bench.retained=1000000]}.
 *
 * <p>Reports durable write throughput at 1, 16 and 64 concurrent writers (each waits for its ack
 * before its next write, like a QoS 1 publisher or a state {@code Set} caller), and the time to
 * reopen the store and load N retained messages.
 */
@EnabledIfSystemProperty(named = "storage.bench", matches = "true")
class StorageBenchmark {
  @TempDir Path tmp;

  private final long seconds = Long.getLong("storage.bench.seconds", 3);
  private final int retainedCount = Integer.getInteger("storage.bench.retained", 1_000_000);

  @Test
  void benchmark() throws Exception {
    System.out.printf(
        "storage benchmark: %d s per point, %d cores, data in %s%n",
        seconds, Runtime.getRuntime().availableProcessors(), tmp);
    for (Durability durability :
        seconds == 0
            ? new Durability[0]
            : new Durability[] {Durability.FSYNC, Durability.PERIODIC}) {
      for (String kind : new String[] {"retained set", "queue append"}) {
        for (int writers : new int[] {1, 16, 64}) {
          throughput(durability, kind, writers);
        }
      }
    }
    restart();
  }

  private void throughput(Durability durability, String kind, int writers) throws Exception {
    Path dir = tmp.resolve(durability + "-" + kind.replace(' ', '-') + "-" + writers);
    byte[] payload = new byte[256];
    AtomicLong version = new AtomicLong();
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir).withDurability(durability))) {
      RocksRetainedPersistence retained = new RocksRetainedPersistence(store, Clock.systemUTC());
      RocksQueuePersistence queues = new RocksQueuePersistence(store);
      BiFunction<Integer, Long, CompletableFuture<Void>> write =
          kind.startsWith("retained")
              ? (w, i) -> {
                String topic = "state/key-" + w + "-" + (i % 1000);
                Message m = Message.of(topic, payload, Qos.AT_LEAST_ONCE, true);
                synchronized (retained) {
                  return retained.write(
                      List.of(
                          new Change(topic, new RetainedMessage(m, version.incrementAndGet()))));
                }
              }
              : (w, i) ->
                  queues.append(
                      "session-" + w,
                      i,
                      Message.of("devices/" + w, payload, Qos.AT_LEAST_ONCE, false));
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      long[][] latencies = new long[writers][];
      int[] counts = new int[writers];
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        latencies[w] = new long[1 << 20];
        Thread t =
            new Thread(
                () -> {
                  for (long i = 0; System.nanoTime() < deadline; i++) {
                    long start = System.nanoTime();
                    write.apply(id, i).join();
                    if (counts[id] < latencies[id].length) {
                      latencies[id][counts[id]] = System.nanoTime() - start;
                    }
                    counts[id]++;
                  }
                });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      long total = Arrays.stream(counts).asLongStream().sum();
      long[] all = new long[(int) Math.min(total, Integer.MAX_VALUE - 8)];
      int k = 0;
      for (int w = 0; w < writers; w++) {
        int n = Math.min(counts[w], latencies[w].length);
        System.arraycopy(latencies[w], 0, all, k, n);
        k += n;
      }
      Arrays.sort(all, 0, k);
      WriterStats stats = store.stats();
      System.out.printf(
          "%-8s %-12s writers=%2d  %9.0f writes/s  syncs=%6d  writes/sync=%5.1f  p50=%6.2f ms "
              + " p99=%6.2f ms%n",
          durability.configName(),
          kind,
          writers,
          total / (double) seconds,
          stats.syncs(),
          stats.syncs() == 0 ? 0.0 : stats.writes() / (double) stats.syncs(),
          all[k / 2] / 1e6,
          all[(int) (k * 0.99)] / 1e6);
    }
  }

  private void restart() {
    Path dir = tmp.resolve("restart");
    byte[] payload = new byte[100];
    long t0 = System.nanoTime();
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      RocksRetainedPersistence retained = new RocksRetainedPersistence(store, Clock.systemUTC());
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      List<Change> batch = new ArrayList<>();
      for (int i = 1; i <= retainedCount; i++) {
        String topic = "devices/" + (i / 1000) + "/sensors/" + (i % 1000);
        batch.add(
            new Change(
                topic,
                new RetainedMessage(Message.of(topic, payload, Qos.AT_LEAST_ONCE, true), i)));
        if (batch.size() == 1000) {
          acks.add(retained.write(batch));
          batch = new ArrayList<>();
          if (acks.size() == 64) {
            acks.forEach(CompletableFuture::join);
            acks.clear();
          }
        }
      }
      acks.add(retained.write(batch));
      acks.forEach(CompletableFuture::join);
    }
    long filled = System.nanoTime();
    System.gc();
    long heapBefore = usedHeap();
    long open = System.nanoTime();
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      long opened = System.nanoTime();
      List<RetainedMessage> all = new RocksRetainedPersistence(store, Clock.systemUTC()).loadAll();
      long loaded = System.nanoTime();
      System.gc();
      long heapAfter = usedHeap();
      System.out.printf(
          "restart: %d retained messages (100-byte payloads) written in %.1f s; open %.0f ms,"
              + " loadAll %.0f ms, total %.0f ms; heap held by the loaded list ~%d MiB; store %d"
              + " MiB on disk%n",
          all.size(),
          (filled - t0) / 1e9,
          (opened - open) / 1e6,
          (loaded - opened) / 1e6,
          (loaded - open) / 1e6,
          (heapAfter - heapBefore) >> 20,
          directorySize(dir) >> 20);
      RocksRetainedPersistence persistence = new RocksRetainedPersistence(store, Clock.systemUTC());
      List<RetainedHeader> headers = new ArrayList<>(all.size());
      all = null;
      long headersStart = System.nanoTime();
      persistence.loadHeaders(headers::add);
      System.out.printf(
          "restart: loadHeaders (index without payloads) of %d messages %.0f ms%n",
          headers.size(), (System.nanoTime() - headersStart) / 1e6);
    }
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static long directorySize(Path dir) {
    try (var files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Runs the benchmark outside JUnit (temporary directory under the working directory). */
  public static void main(String[] args) throws Exception {
    StorageBenchmark bench = new StorageBenchmark();
    bench.tmp = Files.createTempDirectory(Path.of("."), "storage-bench");
    bench.benchmark();
  }
}
