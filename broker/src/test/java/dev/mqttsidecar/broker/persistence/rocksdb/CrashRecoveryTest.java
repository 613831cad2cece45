package dev.mqttsidecar.broker.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments, reopens its data directory and checks
 * that every write the child saw acknowledged is there, with at least its acknowledged value.
 */
class CrashRecoveryTest {
  private static final int ROUNDS = 20;
  private static final int THREADS = 8;

  @TempDir Path tmp;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
    Path dir = tmp.resolve("data");
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    Map<String, Long> lastAcked = new HashMap<>(); // retained key -> highest acknowledged value
    Map<String, Set<Long>> queued = new HashMap<>(); // queue id -> acknowledged sequences
    long totalAcks = 0;
    int killedBeforeReady = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      Path log = tmp.resolve("child-" + round + ".err");
      Process child = startChild(dir, round, THREADS, log);
      List<String> lines = new ArrayList<>();
      Thread reader = new Thread(() -> readLines(child, lines));
      reader.start();
      // Random moment: sometimes during startup or recovery, mostly while writing.
      Thread.sleep(random.nextInt(4) == 0 ? random.nextInt(600) : 600 + random.nextInt(600));
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      boolean ready = false;
      synchronized (lines) {
        for (String line : lines) {
          String[] f = line.split(" ");
          if (f[0].equals("READY")) {
            ready = true;
          } else if (f[0].equals("ACK") && f.length == 4) {
            lastAcked.merge(f[2], Long.parseLong(f[3]), Math::max);
            queued.computeIfAbsent("q" + f[1], q -> new HashSet<>()).add(Long.parseLong(f[3]));
            totalAcks++;
          }
        }
      }
      if (!ready) {
        killedBeforeReady++;
        String err = Files.readString(log);
        assertThat(err)
            .as("child stderr, round %d (seed %d)", round, seed)
            .doesNotContain("StorageException");
      }
      verify(dir, lastAcked, queued, round, seed);
    }
    System.out.printf(
        "crash test: %d rounds (%d killed before ready), %d acknowledged writes checked%n",
        ROUNDS, killedBeforeReady, totalAcks);
    assertThat(totalAcks).isPositive();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aStoreHeldByAnotherProcessIsRefused() throws Exception {
    Path dir = tmp.resolve("data");
    Process child = startChild(dir, 1, 1, tmp.resolve("child.err"));
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      while (first != null && !first.startsWith("READY")) {
        first = out.readLine(); // log lines
      }
      assertThat(first).as(Files.readString(tmp.resolve("child.err"))).startsWith("READY");
      assertThatThrownBy(() -> RocksStore.open(StoreConfig.fsync(dir)))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("in use by another process");
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Process startChild(Path dir, int round, int threads, Path errors)
      throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriterMain.class.getName(),
            dir.toString(),
            Integer.toString(round),
            Integer.toString(threads))
        .redirectError(errors.toFile())
        .start();
  }

  private static void readLines(Process child, List<String> lines) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      // The child died mid-line: the last, partial line is not an acknowledgement.
    }
  }

  private static void verify(
      Path dir, Map<String, Long> lastAcked, Map<String, Set<Long>> queued, int round, long seed) {
    try (RocksStore store = RocksStore.open(StoreConfig.fsync(dir))) {
      Map<String, Long> stored = new HashMap<>();
      for (RetainedMessage m : new RocksRetainedPersistence(store, Clock.systemUTC()).loadAll()) {
        stored.put(
            m.message().topic(),
            Long.parseLong(new String(m.message().payload(), StandardCharsets.UTF_8)));
      }
      lastAcked.forEach(
          (key, value) ->
              assertThat(stored.get(key))
                  .as("key %s after round %d (seed %d)", key, round, seed)
                  .isNotNull()
                  .isGreaterThanOrEqualTo(value));
      Map<String, List<StoredQueueEntry>> queues = new RocksQueuePersistence(store).loadQueues();
      queued.forEach(
          (queue, sequences) -> {
            Set<Long> present = new HashSet<>();
            queues.getOrDefault(queue, List.of()).forEach(e -> present.add(e.sequence()));
            assertThat(present)
                .as("queue %s after round %d (seed %d)", queue, round, seed)
                .containsAll(sequences);
          });
    }
  }
}
