package dev.mqttsidecar.broker.session;

import java.util.concurrent.atomic.LongAdder;

/** Broker-wide counters of messages the broker had to drop. */
public final class Counters {
  private final LongAdder queueOverflow = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder qos0Dropped = new LongAdder();
  private final LongAdder replaysRunning = new LongAdder();
  private final LongAdder replaysAbandoned = new LongAdder();

  /** Messages dropped because a session or group queue was full. */
  public long queueOverflow() {
    return queueOverflow.sum();
  }

  /** Messages that expired before delivery. */
  public long expired() {
    return expired.sum();
  }

  /** QoS 0 messages dropped for an offline or congested receiver. */
  public long qos0Dropped() {
    return qos0Dropped.sum();
  }

  public void countOverflow() {
    queueOverflow.increment();
  }

  public void countExpired() {
    expired.increment();
  }

  public void countQos0Dropped() {
    qos0Dropped.increment();
  }

  /** Retained replays in progress: subscriptions still being sent their retained messages. */
  public long retainedReplays() {
    return replaysRunning.sum();
  }

  /** Retained replays stopped before the end (unsubscribe, resubscribe, session end). */
  public long retainedReplaysAbandoned() {
    return replaysAbandoned.sum();
  }

  void countReplayStarted() {
    replaysRunning.increment();
  }

  void countReplayFinished() {
    replaysRunning.decrement();
  }

  void countReplayAbandoned() {
    replaysRunning.decrement();
    replaysAbandoned.increment();
  }
}
