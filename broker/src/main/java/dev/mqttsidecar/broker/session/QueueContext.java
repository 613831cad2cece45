package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every message queue shares, a session's or a shared group's.
 *
 * @param workers pool the serial executors run on
 * @param clock time for message expiry
 * @param maxQueued bound of each queue, in messages
 * @param maxQueuedBytes bound of each queue, in payload bytes
 * @param overflow what to drop when a queue is full
 * @param counters drop counters
 * @param queues durable mirror of persistent sessions' and groups' queues
 */
public record QueueContext(
    Executor workers,
    Clock clock,
    int maxQueued,
    long maxQueuedBytes,
    QueueOverflow overflow,
    Counters counters,
    QueuePersistence queues) {}
