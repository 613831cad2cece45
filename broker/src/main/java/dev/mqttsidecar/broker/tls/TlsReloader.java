package dev.mqttsidecar.broker.tls;

import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the TLS files of every listener periodically on one daemon thread, off the event loops as
 * it reads files. Polling rather than a WatchService: it also sees files on network and container
 * mounts, and replacing a symbolic link, and costs a few stat calls per second.
 */
public final class TlsReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  /** How often the files are checked; a change is picked up within two periods. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);

  private final List<ReloadingSslContext> contexts = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("mqtt-tls-reload"));

  public TlsReloader(Duration period) {
    long millis = period.toMillis();
    timer.scheduleWithFixedDelay(this::checkAll, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Checks {@code context}'s files from now on. */
  public void watch(ReloadingSslContext context) {
    contexts.add(context);
  }

  private void checkAll() {
    for (ReloadingSslContext context : contexts) {
      try {
        context.checkForChanges();
      } catch (Throwable t) {
        LOG.error("checking TLS files failed", t); // keep checking the others, and next time
      }
    }
  }

  /** Stops checking. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
