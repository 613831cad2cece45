package dev.mqttsidecar.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live heap of another JVM: {@code jcmd PID GC.run} (a full collection with the serial collector
 * the sidecar ships with, so what is left is what is reachable), then {@code GC.heap_info}.
 */
final class JvmHeap {
  /** A generation or region line: "def new generation total 14784K, used 1032K [...]". */
  private static final Pattern USED = Pattern.compile("\\stotal \\d+K, used (\\d+)K");

  private JvmHeap() {}

  /**
   * Heap in use after a full GC, in KiB; -1 if jcmd failed twice (the reason goes to stderr, so an
   * unmeasured sample in soak.csv can be explained).
   */
  static long usedAfterGcKib(long pid) {
    for (int attempt = 1; ; attempt++) {
      try {
        jcmd(pid, "GC.run");
        return parseUsedKib(jcmd(pid, "GC.heap_info"));
      } catch (IOException | RuntimeException e) {
        System.err.println(
            "heap sample of " + pid + ", attempt " + attempt + ": " + e.getMessage());
        if (attempt == 2) {
          return -1;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }

  /** Sum of "used" over the generations (G1: its one heap line) of a GC.heap_info output. */
  static long parseUsedKib(String heapInfo) {
    long used = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      Matcher m = USED.matcher(line);
      if (m.find()) {
        used += Long.parseLong(m.group(1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("no heap line in: " + heapInfo);
    }
    return used;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }
}
