package dev.mqttsidecar.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RecordingOutbound;
import dev.mqttsidecar.broker.testing.RecordingQueuePersistence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionQueueTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final Counters counters = new Counters();
  private final RecordingQueuePersistence store = new RecordingQueuePersistence(true);

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  /** A shared group that records what its members give back. */
  private static final class FakeGroup implements GroupLink {
    final List<String> events = new ArrayList<>();

    @Override
    public void release(Session member, int count) {
      events.add("release " + member.key() + " " + count);
    }

    @Override
    public void requeueFront(List<QueuedMessage> messages) {
      events.add("requeue " + messages.stream().map(m -> m.delivered().topic()).toList());
    }

    @Override
    public void memberOnline(Session member) {}

    @Override
    public void memberOffline(Session member) {}
  }

  private SessionContext context(int max, QueueOverflow overflow) {
    QueueContext queueing =
        new QueueContext(
            Runnable::run, new MutableClock(), max, Long.MAX_VALUE, overflow, counters, store);
    return new SessionContext(queueing, timers, s -> {}, SessionPersistence.NONE);
  }

  private static QueuedMessage direct(String topic) {
    Message m = Message.of(topic, new byte[] {1}, Qos.AT_LEAST_ONCE, false);
    return QueuedMessage.direct(m, m);
  }

  private static QueuedMessage shared(String topic, GroupLink group) {
    Message m = Message.of(topic, new byte[] {1}, Qos.AT_LEAST_ONCE, false);
    return new QueuedMessage(m, m, group, 0);
  }

  private static List<String> drain(SessionQueue q) {
    List<String> topics = new ArrayList<>();
    for (QueuedMessage m = q.peekUnexpired(NOW); m != null; m = q.peekUnexpired(NOW)) {
      q.poll();
      topics.add(m.delivered().topic());
    }
    return topics;
  }

  @Test
  void droppingTheOldestSharedMessageGivesItsGroupTheSlotBack() {
    SessionContext ctx = context(2, QueueOverflow.DROP_OLDEST);
    Session session = new Session("s", "s", ctx);
    SessionQueue q = new SessionQueue(session, ctx);
    FakeGroup group = new FakeGroup();
    q.offer(shared("g1", group));
    q.offer(direct("d1"));
    q.offer(direct("d2"));

    assertThat(group.events).containsExactly("release s 1");
    assertThat(counters.queueOverflow()).isEqualTo(1);
    assertThat(drain(q)).containsExactly("d1", "d2");
  }

  @Test
  void groupMessagesGoBackToTheirGroupsInOrder() {
    SessionContext ctx = context(10, QueueOverflow.DROP_NEWEST);
    Session session = new Session("s", "s", ctx);
    SessionQueue q = new SessionQueue(session, ctx);
    FakeGroup a = new FakeGroup();
    FakeGroup b = new FakeGroup();
    q.offer(shared("a1", a));
    q.offer(direct("d1"));
    q.offer(shared("b1", b));
    q.addLast(shared("a2", a));

    q.returnGroupMessages();

    assertThat(a.events).containsExactly("requeue [a1, a2]", "release s 2");
    assertThat(b.events).containsExactly("requeue [b1]", "release s 1");
    assertThat(drain(q)).containsExactly("d1");
  }

  @Test
  void storesUnderTheSessionKeyAndDropsTheQueueOnClose() {
    SessionContext ctx = context(10, QueueOverflow.DROP_NEWEST);
    Session session = new Session("s", "s", ctx);
    SessionQueue q = new SessionQueue(session, ctx);
    FakeGroup group = new FakeGroup();
    QueuedMessage m = direct("d1");
    q.admit(m, true);
    q.offer(shared("g1", group));

    q.close();

    assertThat(store.calls()).containsExactly("append s 1 d1", "drop s");
    assertThat(group.events).containsExactly("requeue [g1]", "release s 1");
    assertThat(q.size()).isZero();
  }

  @Test
  void aReplacedSessionLeavesItsSuccessorsStoredQueueAlone() {
    SessionContext ctx = context(10, QueueOverflow.DROP_NEWEST);
    Session session = new Session("s", "s", ctx);
    SessionQueue q = new SessionQueue(session, ctx);
    QueuedMessage stored = direct("d1");
    q.admit(stored, true);
    session.stored().forget();

    QueuedMessage late = direct("d2");
    q.admit(late, true);
    q.forget(stored);
    q.close();

    assertThat(store.calls()).containsExactly("append s 1 d1");
    assertThat(stored.storedIn()).isNull();
    assertThat(late.storedIn()).isNull();
  }

  @Test
  void restoredMessagesGetTheSubscriptionIdsOfTheirTopic() {
    SessionContext ctx = context(10, QueueOverflow.DROP_NEWEST);
    Session session = new Session("s", "s", ctx);
    SessionQueue q = new SessionQueue(session, ctx);
    Message x = Message.of("x", new byte[] {1}, Qos.AT_LEAST_ONCE, false);
    Message y = Message.of("y", new byte[] {2}, Qos.AT_LEAST_ONCE, false);
    List<StoredQueueEntry> entries =
        List.of(new StoredQueueEntry(3, y), new StoredQueueEntry(1, x));

    q.restore(entries, entries, topic -> topic.equals("x") ? new int[] {7} : new int[0]);

    QueuedMessage first = q.poll();
    QueuedMessage second = q.poll();
    assertThat(first.delivered()).isEqualTo(x);
    assertThat(first.subscriptionIds()).containsExactly(7);
    assertThat(first.storedIn()).isEqualTo("s");
    assertThat(second.delivered()).isEqualTo(y);
    assertThat(second.subscriptionIds()).isEmpty();
    assertThat(second.sequence()).isEqualTo(3);
  }

  @Test
  void backloggedWhileOfflineOrDeep() {
    SessionContext ctx = context(1000, QueueOverflow.DROP_NEWEST);
    Session session = new Session("s", "s", ctx);
    SessionQueue q = new SessionQueue(session, ctx);
    assertThat(q.backlogged()).isTrue(); // offline

    RecordingOutbound out = RecordingOutbound.mqtt();
    session.attach(out, 1, () -> {});
    assertThat(session.isOnline()).isTrue();
    assertThat(q.backlogged()).isFalse();
    for (int i = 0; i <= QueuedMessage.IN_MEMORY_HEAD; i++) {
      q.offer(direct("m" + i));
    }
    assertThat(q.backlogged()).isTrue();
  }
}
