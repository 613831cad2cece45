package dev.mqttsidecar.bench.jmh;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.SessionContext;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one place the benchmarks build broker internals that are not public API; when those
 * constructors change, this is what to adapt.
 */
final class BrokerInternals {
  private BrokerInternals() {}

  /** Sessions that run their tasks inline and persist nothing: only the index is measured. */
  static SessionContext sessionContext(ScheduledExecutorService scheduler) {
    return new SessionContext(
        Runnable::run,
        scheduler,
        Clock.systemUTC(),
        1000,
        QueueOverflow.DROP_NEWEST,
        new Counters(),
        s -> {},
        QueuePersistence.NONE);
  }
}
