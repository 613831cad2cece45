package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What sessions share.
 *
 * @param queueing what their queues share with shared groups' queues
 * @param scheduler timers (session expiry, nack delays)
 * @param onEnd called (on the session's executor) when a session ends, to drop its subscriptions
 * @param sessions durable records of persistent sessions
 */
public record SessionContext(
    QueueContext queueing,
    ScheduledExecutorService scheduler,
    Consumer<Session> onEnd,
    SessionPersistence sessions) {

  Executor workers() {
    return queueing.workers();
  }

  Clock clock() {
    return queueing.clock();
  }

  int maxQueued() {
    return queueing.maxQueued();
  }

  QueueOverflow overflow() {
    return queueing.overflow();
  }

  Counters counters() {
    return queueing.counters();
  }

  QueuePersistence queues() {
    return queueing.queues();
  }
}
