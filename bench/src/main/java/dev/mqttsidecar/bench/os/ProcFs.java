package dev.mqttsidecar.bench.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory and CPU time of a process, from /proc (Linux only; -1 elsewhere). */
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
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the parenthesised command name, which may itself contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** This JVM's process id. */
  public static long self() {
    return ProcessHandle.current().pid();
  }
}
