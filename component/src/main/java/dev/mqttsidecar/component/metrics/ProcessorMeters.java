package dev.mqttsidecar.component.metrics;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The meters of Micrometer's {@code ProcessorMetrics}, under its names, with the system's and the
 * process's CPU usage read at most once per {@link #CPU_LOAD_REFRESH}. In a container the JDK
 * answers {@link OperatingSystemMXBean#getCpuLoad()} and {@link
 * OperatingSystemMXBean#getProcessCpuLoad()} by reading the cgroup's quota and cpuset files afresh,
 * each through a new 8 KiB reader: read every scrape, they were three quarters of the memory a
 * scrape allocated.
 */
final class ProcessorMeters implements MeterBinder {
  static final Duration CPU_LOAD_REFRESH = Duration.ofSeconds(10);

  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final RefreshedLoad systemCpu =
      new RefreshedLoad(os::getCpuLoad, System::nanoTime, CPU_LOAD_REFRESH);
  private final RefreshedLoad processCpu =
      new RefreshedLoad(os::getProcessCpuLoad, System::nanoTime, CPU_LOAD_REFRESH);

  @Override
  public void bindTo(MeterRegistry registry) {
    Runtime runtime = Runtime.getRuntime();
    Gauge.builder("system.cpu.count", runtime, Runtime::availableProcessors)
        .description("The number of processors available to the Java virtual machine")
        .register(registry);
    if (os.getSystemLoadAverage() >= 0) {
      Gauge.builder("system.load.average.1m", os, OperatingSystemMXBean::getSystemLoadAverage)
          .description(
              "The sum of the number of runnable entities queued to available processors and the"
                  + " number of runnable entities running on the available processors averaged"
                  + " over a period of time")
          .register(registry);
    }
    Gauge.builder("system.cpu.usage", systemCpu, RefreshedLoad::value)
        .description("The \"recent cpu usage\" of the system the application is running in")
        .register(registry);
    Gauge.builder("process.cpu.usage", processCpu, RefreshedLoad::value)
        .description("The \"recent cpu usage\" for the Java Virtual Machine process")
        .register(registry);
    FunctionCounter.builder("process.cpu.time", os, OperatingSystemMXBean::getProcessCpuTime)
        .description("The \"cpu time\" used by the Java Virtual Machine process")
        .baseUnit("ns")
        .register(registry);
  }
}
