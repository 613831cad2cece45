package dev.mqttsidecar.bench.load;

import dev.mqttsidecar.bench.os.ProcFs;

/**
 * CPU seconds used so far by the broker and by this generator, so a run can tell whether the broker
 * or the generator was the bottleneck.
 */
record CpuSample(long nanos, double broker, double generator) {

  static CpuSample take(long brokerPid) {
    return new CpuSample(
        System.nanoTime(), ProcFs.cpuSeconds(brokerPid), ProcFs.cpuSeconds(ProcFs.self()));
  }

  /** Cores kept busy between {@code earlier} and this sample (-1 where unknown). */
  Usage since(CpuSample earlier) {
    double seconds = (nanos - earlier.nanos) / 1e9;
    return new Usage(
        broker < 0 || earlier.broker < 0 ? -1 : (broker - earlier.broker) / seconds,
        generator < 0 || earlier.generator < 0 ? -1 : (generator - earlier.generator) / seconds);
  }

  /** Average cores busy over an interval: 1.0 is one core fully used. */
  record Usage(double broker, double generator) {}
}
