package dev.mqttsidecar.bench.soak;

import dev.mqttsidecar.bench.os.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the sidecar process holds right now, from /proc, jcmd and its data directory. */
final class ProcessProbe {
  private final long pid;
  private final Path dataDir;

  ProcessProbe(long pid, Path dataDir) {
    this.pid = pid;
    this.dataDir = dataDir;
  }

  /** Heap after a full GC, RSS, threads, open descriptors and store bytes; -1 where unknown. */
  Resources sample() {
    long heap = JvmHeap.usedAfterGcKib(pid);
    return new Resources(heap, ProcFs.rssKib(pid), threads(), fds(), storeBytes());
  }

  private long threads() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring("Threads:".length()).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private long fds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Bytes of the files under the data directory (files the store deletes meanwhile count 0). */
  private long storeBytes() {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(Files::isRegularFile).mapToLong(ProcessProbe::size).sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** One reading; sizes in KiB except the store, in bytes. */
  record Resources(long heapKib, long rssKib, long threads, long fds, long storeBytes) {}
}
