package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.ManualScheduler;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RecordingQueuePersistence;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What session unit tests share: sessions whose executor runs each task at once on the test's
 * thread, a clock and timers the test moves, and recording stores.
 */
final class SessionFixture {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final MutableClock clock = new MutableClock(START);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final RecordingSessionStore store = new RecordingSessionStore();
  final RecordingQueuePersistence queues = new RecordingQueuePersistence(true);
  final Counters counters = new Counters();
  final List<Session> ended = new ArrayList<>();
  final SessionContext ctx;

  SessionFixture(int maxQueued) {
    QueueContext queueing =
        new QueueContext(
            Runnable::run,
            clock,
            maxQueued,
            Long.MAX_VALUE,
            QueueOverflow.DROP_NEWEST,
            counters,
            queues);
    ctx = new SessionContext(queueing, scheduler, ended::add, store);
  }

  SessionFixture() {
    this(100);
  }

  Session session(String key) {
    return new Session(key, key, ctx);
  }

  static QueuedMessage message(String topic, Qos qos) {
    Message m = Message.of(topic, topic.getBytes(StandardCharsets.UTF_8), qos, false);
    return QueuedMessage.direct(m, m);
  }

  static QueuedMessage groupMessage(String topic, Qos qos, GroupLink group) {
    Message m = Message.of(topic, topic.getBytes(StandardCharsets.UTF_8), qos, false);
    return new QueuedMessage(m, m, group, 0);
  }
}
