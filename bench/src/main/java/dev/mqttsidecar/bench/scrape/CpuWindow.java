package dev.mqttsidecar.bench.scrape;

import dev.mqttsidecar.bench.os.ProcFs;
import java.util.Map;
import java.util.TreeMap;

/** A process's CPU time, in total and per thread name, at one moment. */
record CpuWindow(long nanos, double process, Map<String, Double> threads, long scrapes) {
  static final String PROCESS = "process";

  static CpuWindow take(long pid, long scrapes) {
    return new CpuWindow(
        System.nanoTime(), ProcFs.cpuSeconds(pid), ProcFs.threadCpuSeconds(pid), scrapes);
  }

  double secondsSince(CpuWindow start) {
    return (nanos - start.nanos) / 1e9;
  }

  /**
   * CPU seconds used since {@code start}: the process's under {@link #PROCESS}, then each thread
   * name's (a thread that appeared meanwhile counts from zero; one that ended is only in the
   * process's total).
   */
  Map<String, Double> cpuSince(CpuWindow start) {
    Map<String, Double> used = new TreeMap<>();
    used.put(PROCESS, process - start.process);
    threads.forEach(
        (name, seconds) -> used.put(name, seconds - start.threads.getOrDefault(name, 0.0)));
    return used;
  }
}
