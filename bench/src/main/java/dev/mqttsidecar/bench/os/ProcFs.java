package dev.mqttsidecar.bench.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Resident memory and CPU time of a process and its threads, from /proc (Linux only; -1 elsewhere).
 */
public final class ProcFs {
  /** Clock ticks per second for /proc/PID/stat times; 100 on every Linux this runs on. */
  private static final double TICKS_PER_SECOND = 100;

  private ProcFs() {}

  /** VmRSS of {@code pid} in KiB, or -1 if it cannot be read. */
  public static long rssKib(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** User plus system CPU seconds {@code pid} has used, or -1 if it cannot be read. */
  public static double cpuSeconds(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      return statCpuSeconds(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU seconds of each live thread of {@code pid}, summed per thread name with its digits replaced
   * by {@code N}, so that a pool's threads ({@code mqtt-io-3-1}, {@code mqtt-io-3-2}) count as one;
   * empty if it cannot be read. Threads that ended are missing: compare with {@link #cpuSeconds}.
   */
  public static Map<String, Double> threadCpuSeconds(long pid) {
    Map<String, Double> byName = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks.forEach(
          task -> {
            try {
              String name = Files.readString(task.resolve("comm")).strip();
              double seconds = statCpuSeconds(task.resolve("stat"));
              byName.merge(name.replaceAll("[0-9]+", "N").replace(' ', '_'), seconds, Double::sum);
            } catch (IOException | RuntimeException e) {
              // the thread ended between the listing and the read: its time is in the process's
            }
          });
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return byName;
  }

  private static double statCpuSeconds(Path stat) throws IOException {
    String line = Files.readString(stat);
    // Fields after the parenthesised command name, which may itself contain spaces.
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /** This JVM's process id. */
  public static long self() {
    return ProcessHandle.current().pid();
  }
}
