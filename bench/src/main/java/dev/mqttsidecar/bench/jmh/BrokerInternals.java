package dev.mqttsidecar.bench.jmh;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.QueueContext;
import dev.mqttsidecar.broker.session.SessionContext;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one place the benchmarks build broker internals that are not public API; when those
 * constructors change, this is what to adapt.
 */
final class BrokerInternals {
  private BrokerInternals() {}

  /** Queues that run their tasks inline and persist nothing: only the index is measured. */
  static QueueContext queueContext() {
    return new QueueContext(
        Runnable::run,
        Clock.systemUTC(),
        1000,
        Long.MAX_VALUE,
        QueueOverflow.DROP_NEWEST,
        new Counters(),
        QueuePersistence.NONE);
  }

  /** Sessions on {@link #queueContext()} that store nothing. */
  static SessionContext sessionContext(ScheduledExecutorService scheduler) {
    return new SessionContext(queueContext(), scheduler, s -> {}, SessionPersistence.NONE);
  }
}
