package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.RetainedPersistence.Change;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Child process of {@link CrashRecoveryTest}: writes retained messages and queue entries from
 * several threads through group commit, printing each acknowledged write, until it is killed.
 *
 * <p>Args: data directory, round, threads. Output lines: {@code READY version}, {@code ACK thread
 * key value} (the retained key now holds at least value, and queue {@code q<thread>} holds entry
 * {@code value}).
 */
public final class CrashWriterMain {
  static final int KEYS_PER_THREAD = 16;
  static final long ROUND_STRIDE = 1_000_000_000L;

  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long round = Long.parseLong(args[1]);
    int threads = Integer.parseInt(args[2]);
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    RocksStore store = RocksStore.open(StoreConfig.fsync(dir));
    RocksRetainedPersistence retained = new RocksRetainedPersistence(store, Clock.systemUTC());
    RocksQueuePersistence queues = new RocksQueuePersistence(store);
    Object versionLock = new Object();
    long[] version = {retained.versionHighWater()};
    synchronized (out) {
      out.println("READY " + version[0]);
      out.flush();
    }
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread writer =
          new Thread(
              () -> {
                for (long n = 0; ; n++) {
                  long value = round * ROUND_STRIDE + n;
                  String key = "t" + thread + "/k" + (n % KEYS_PER_THREAD);
                  Message m =
                      Message.of(
                          key,
                          Long.toString(value).getBytes(StandardCharsets.UTF_8),
                          Qos.AT_LEAST_ONCE,
                          true);
                  CompletableFuture<Void> stored;
                  synchronized (
                      versionLock) { // versions in submission order, as the retained service does
                    stored =
                        retained.write(
                            List.of(new Change(key, new RetainedMessage(m, ++version[0]))));
                  }
                  CompletableFuture<Void> queued = queues.append("q" + thread, value, m);
                  CompletableFuture.allOf(stored, queued).join();
                  synchronized (out) {
                    out.println("ACK " + thread + " " + key + " " + value);
                    out.flush();
                  }
                }
              });
      writer.start();
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
