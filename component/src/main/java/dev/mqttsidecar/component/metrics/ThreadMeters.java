package dev.mqttsidecar.component.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The JVM's thread meters under the names of Micrometer's {@code JvmThreadMetrics}, with the count
 * per state taken once per scrape from {@link Thread#getState()}. Micrometer's binder asks {@link
 * ThreadMXBean#getThreadInfo(long[])} once per state: six times per scrape the VM builds a {@code
 * ThreadInfo}, lock details included, for every thread, which was a fifth of a scrape's CPU.
 */
final class ThreadMeters implements SnapshotBinder {
  private static final String THREADS = "threads";
  private static final Thread.State[] STATES = Thread.State.values();

  private final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
  private final long[] byState = new long[STATES.length];
  private Thread[] scratch = new Thread[64];

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("jvm.threads.peak", bean, ThreadMXBean::getPeakThreadCount)
        .description(
            "The peak live thread count since the Java virtual machine started or peak was reset")
        .baseUnit(THREADS)
        .register(registry);
    Gauge.builder("jvm.threads.daemon", bean, ThreadMXBean::getDaemonThreadCount)
        .description("The current number of live daemon threads")
        .baseUnit(THREADS)
        .register(registry);
    Gauge.builder("jvm.threads.live", bean, ThreadMXBean::getThreadCount)
        .description(
            "The current number of live threads including both daemon and non-daemon threads")
        .baseUnit(THREADS)
        .register(registry);
    FunctionCounter.builder("jvm.threads.started", bean, ThreadMXBean::getTotalStartedThreadCount)
        .description("The total number of application threads started in the JVM")
        .baseUnit(THREADS)
        .register(registry);
    for (Thread.State state : STATES) {
      Gauge.builder("jvm.threads.states", this, m -> m.byState[state.ordinal()])
          .tag("state", state.name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .description("The current number of threads")
          .baseUnit(THREADS)
          .register(registry);
    }
  }

  @Override
  public void takeSnapshot(MeterRegistry registry) {
    Arrays.fill(byState, 0);
    int count = liveThreads();
    for (int i = 0; i < count; i++) {
      byState[scratch[i].getState().ordinal()]++;
      scratch[i] = null; // holds no thread past the scrape
    }
  }

  /** Fills {@link #scratch} with every live thread (from the root group down); their number. */
  private int liveThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    while (true) {
      int count = root.enumerate(scratch, true);
      if (count < scratch.length) {
        return count;
      }
      scratch = new Thread[scratch.length * 2]; // full: some may be missing, so read again
    }
  }
}
