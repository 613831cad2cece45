package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What sessions and shared groups share.
 *
 * @param workers pool the serial executors run on
 * @param scheduler timers (session expiry, nack delays)
 * @param clock time for message expiry
 * @param maxQueued bound of each session or group queue
 * @param overflow what to drop when a queue is full
 * @param counters drop counters
 * @param onEnd called (on the session's executor) when a session ends, to drop its subscriptions
 * @param queues durable mirror of persistent sessions' queues
 * @param sessions durable records of persistent sessions
 */
public record SessionContext(
    Executor workers,
    ScheduledExecutorService scheduler,
    Clock clock,
    int maxQueued,
    QueueOverflow overflow,
    Counters counters,
    Consumer<Session> onEnd,
    QueuePersistence queues,
    SessionPersistence sessions) {

  /** A context whose session records are not stored. */
  public SessionContext(
      Executor workers,
      ScheduledExecutorService scheduler,
      Clock clock,
      int maxQueued,
      QueueOverflow overflow,
      Counters counters,
      Consumer<Session> onEnd,
      QueuePersistence queues) {
    this(
        workers,
        scheduler,
        clock,
        maxQueued,
        overflow,
        counters,
        onEnd,
        queues,
        SessionPersistence.NONE);
  }
}
