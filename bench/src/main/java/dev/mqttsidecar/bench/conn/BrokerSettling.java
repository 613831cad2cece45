package dev.mqttsidecar.bench.conn;

import dev.mqttsidecar.bench.os.ProcFs;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a broker is idle before its memory is read. A broker still busy after a connection
 * storm (a JVM compiling the code the storm made hot, with compiler arenas of 10 MiB and more that
 * it frees when done) would otherwise be measured at a random point of that work: the same broker
 * gave per-connection figures 600 bytes apart depending on whether a compilation was running when
 * the first or the second reading was taken. Every broker gets the same wait.
 */
final class BrokerSettling {
  /** Idle means under 10% of a core over half a second, as {@code bench/compare} uses for loads. */
  private static final long WINDOW_MILLIS = 500;

  private static final double IDLE_CPU_SECONDS = 0.05;
  private static final long MAX_WAIT_MILLIS = 30_000;

  private BrokerSettling() {}

  /**
   * Returns once {@code pid} used less than 10% of a core over half a second, or after 30 s, then
   * waits {@code afterMillis} more (time for a periodic release of freed memory, such as the
   * sidecar's native heap trim every second).
   */
  static void await(long pid, long afterMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
    double before = ProcFs.cpuSeconds(pid);
    while (before >= 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(WINDOW_MILLIS);
      double now = ProcFs.cpuSeconds(pid);
      if (now < 0 || now - before < IDLE_CPU_SECONDS) {
        break;
      }
      before = now;
    }
    TimeUnit.MILLISECONDS.sleep(afterMillis);
  }
}
