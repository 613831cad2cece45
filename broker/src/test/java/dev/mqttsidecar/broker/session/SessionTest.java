package dev.mqttsidecar.broker.session;

import static dev.mqttsidecar.broker.session.SessionFixture.START;
import static dev.mqttsidecar.broker.session.SessionFixture.groupMessage;
import static dev.mqttsidecar.broker.session.SessionFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.testing.RecordingOutbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A session through its public methods, run at once on the test's thread, with no network. */
class SessionTest {
  private static final Qos QOS0 = Qos.AT_MOST_ONCE;
  private static final Qos QOS1 = Qos.AT_LEAST_ONCE;
  private static final Qos QOS2 = Qos.EXACTLY_ONCE;
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final SessionFixture f = new SessionFixture();
  private final Session session = f.session("k");
  private final RecordingOutbound out = RecordingOutbound.mqtt();

  private void attach(RecordingOutbound to, int window) {
    assertThat(session.attach(to, window, () -> to.note("CONNACK"))).isDone();
  }

  @Test
  void queuedMessagesGoOutAfterTheConnackInOrder() {
    session.enqueue(message("a", QOS1));
    session.enqueue(message("b", QOS2));
    attach(out, 10);
    assertThat(out.take()).containsExactly("CONNACK", "PUBLISH 1 qos1 a", "PUBLISH 2 qos2 b");
    assertThat(session.isOnline()).isTrue();
    assertThat(session.window()).isEqualTo(10);
  }

  @Test
  void qos0IsDroppedForAnOfflineSessionAndSentAtOnceToAnOnlineOne() {
    assertThat(session.enqueue(message("a", QOS0))).isCompletedWithValue(false);
    assertThat(f.counters.qos0Dropped()).isEqualTo(1); // [MQTT-3.1.2-5]
    attach(out, 1);
    session.enqueue(message("b", QOS1));
    session.enqueue(message("c", QOS0)); // needs no window slot
    assertThat(out.take()).containsExactly("CONNACK", "PUBLISH 1 qos1 b", "PUBLISH - qos0 c");
  }

  @Test
  void theWindowHoldsBackMessagesUntilOneIsSettled() {
    attach(out, 1);
    session.enqueue(message("a", QOS1));
    session.enqueue(message("b", QOS1));
    assertThat(out.take()).containsExactly("CONNACK", "PUBLISH 1 qos1 a");
    session.settle(1, out.entry(1));
    assertThat(out.take()).containsExactly("PUBLISH 2 qos1 b");
    session.settle(1, out.entry(1)); // a repeated PUBACK settles nothing more
    session.settle(2, null);
    assertThat(out.take()).isEmpty();
  }

  @Test
  void qos2FlowsThroughPubrecToPubcomp() {
    attach(out, 1);
    session.enqueue(message("a", QOS2));
    session.enqueue(message("b", QOS2));
    session.pubrec(1, false);
    session.settle(1, null); // PUBCOMP
    assertThat(out.take())
        .containsExactly("CONNACK", "PUBLISH 1 qos2 a", "PUBREL 1", "PUBLISH 2 qos2 b");
  }

  @Test
  void pauseHoldsDeliveryAndResumeSends() {
    attach(out, 5);
    session.pause();
    session.enqueue(message("a", QOS1));
    assertThat(out.take()).containsExactly("CONNACK");
    session.resume();
    assertThat(out.take()).containsExactly("PUBLISH 1 qos1 a");
  }

  @Test
  void aFullQueueDropsTheNewMessage() {
    SessionFixture small = new SessionFixture(1);
    Session s = small.session("k");
    assertThat(s.enqueue(message("a", QOS1))).isCompletedWithValue(false);
    assertThat(s.enqueue(message("b", QOS1))).isCompletedWithValue(true);
    assertThat(small.counters.queueOverflow()).isEqualTo(1);
  }

  @Test
  void aPersistentSessionStoresItsQueuedMessagesAndReportsAFailedStore() {
    session.setExpiry(MINUTE);
    assertThat(session.enqueue(message("a", QOS1))).isCompletedWithValue(false);
    assertThat(session.enqueue(message("b", QOS0))).isCompletedWithValue(false); // not queued
    assertThat(f.queues.take()).containsExactly("append k 1 a");

    f.queues.failAppends(new IllegalStateException("no space left on device"));
    assertThat(session.enqueue(message("c", QOS1))).isCompletedExceptionally();
  }

  @Test
  void aNewConnectionTakesOverAndGetsTheUnsettledMessagesAgainWithDup() {
    attach(out, 5);
    session.enqueue(message("a", QOS1));
    RecordingOutbound next = RecordingOutbound.mqtt();
    attach(next, 5);
    assertThat(out.take()).containsExactly("CONNACK", "PUBLISH 1 qos1 a", "taken over");
    assertThat(next.take()).containsExactly("CONNACK", "PUBLISH 1 qos1 dup a"); // [MQTT-4.4.0-1]
    assertThat(session.isEnded()).isFalse();
  }

  @Test
  void aSessionWithoutExpiryEndsWithItsConnection() {
    attach(out, 5);
    RecordingOutbound stranger = RecordingOutbound.mqtt();
    assertThat(session.detach(stranger)).isDone(); // not attached: changes nothing
    assertThat(session.isEnded()).isFalse();
    assertThat(session.detach(out)).isDone();
    assertThat(session.isEnded()).isTrue();
    assertThat(f.ended).containsExactly(session);
  }

  @Test
  void anOfflineSessionEndsWhenItsExpiryHasPassed() {
    session.setExpiry(MINUTE);
    attach(out, 5);
    f.clock.advance(Duration.ofSeconds(5));
    f.store.take();
    session.detach(out);
    assertThat(f.store.take()).containsExactly("save k");
    assertThat(f.store.lastSaved().disconnectedAt()).isEqualTo(START.plusSeconds(5));

    f.scheduler.advance(Duration.ofSeconds(59));
    assertThat(session.isEnded()).isFalse();
    f.scheduler.advance(Duration.ofSeconds(1));
    assertThat(session.isEnded()).isTrue();
    assertThat(f.ended).containsExactly(session);
    assertThat(f.store.take()).containsExactly("delete k");
  }

  @Test
  void reconnectingBeforeExpiryKeepsTheSession() {
    session.setExpiry(MINUTE);
    attach(out, 5);
    session.detach(out);
    f.scheduler.advance(Duration.ofSeconds(30));
    attach(RecordingOutbound.mqtt(), 5);
    assertThat(f.store.lastSaved().disconnectedAt()).isNull();
    f.scheduler.advance(Duration.ofMinutes(5));
    assertThat(session.isEnded()).isFalse();
  }

  @Test
  void anExpiryChangedAtDisconnectIsTheOneThatCounts() {
    session.setExpiry(MINUTE);
    attach(out, 5);
    session.setExpiry(Duration.ofSeconds(5)); // 5.0 DISCONNECT with a Session Expiry Interval
    session.detach(out);
    assertThat(f.store.lastSaved().expiry()).isEqualTo(Duration.ofSeconds(5));
    f.scheduler.advance(Duration.ofSeconds(5));
    assertThat(session.isEnded()).isTrue();
  }

  @Test
  void endAndTakeOverClosesTheConnectionAndEnds() {
    attach(out, 5);
    assertThat(session.endAndTakeOver()).isCompleted();
    assertThat(out.take()).containsExactly("CONNACK", "taken over");
    assertThat(session.isEnded()).isTrue();
    assertThat(session.isOnline()).isFalse();
    assertThat(session.enqueue(message("a", QOS1))).isCompletedWithValue(false);
  }

  @Test
  void anInProcessSubscriberGetsUnsettledMessagesAgainAsNewDeliveries() {
    session.setExpiry(MINUTE);
    RecordingOutbound first = RecordingOutbound.inProcess();
    attach(first, 5);
    session.enqueue(message("a", QOS1));
    session.detach(first);
    RecordingOutbound second = RecordingOutbound.inProcess();
    attach(second, 5);
    assertThat(second.take()).containsExactly("CONNACK", "PUBLISH 2 qos1 a");
    assertThat(second.entry(2).message().deliveryCount()).isEqualTo(2);
  }

  @Test
  void aNackedMessageComesBackAfterItsDelay() {
    RecordingOutbound sub = RecordingOutbound.inProcess();
    attach(sub, 5);
    session.enqueue(message("a", QOS1));
    session.nack(1, sub.entry(1), Duration.ofSeconds(2));
    assertThat(sub.take()).containsExactly("CONNACK", "PUBLISH 1 qos1 a");
    f.scheduler.advance(Duration.ofSeconds(2));
    assertThat(sub.take()).containsExactly("PUBLISH 2 qos1 a");
  }

  @Test
  void sharedGroupMessagesGoBackToTheGroupWhenTheMemberCannotTakeThem() {
    RecordingGroup group = new RecordingGroup();
    session.offerFromGroup(groupMessage("a", QOS1, group)); // offline
    assertThat(group.take()).containsExactly("requeue a", "release k 1");

    attach(out, 1);
    session.offerFromGroup(groupMessage("b", QOS1, group));
    session.offerFromGroup(groupMessage("c", QOS1, group));
    assertThat(out.take()).containsExactly("CONNACK", "PUBLISH 1 qos1 b");
    session.end();
    assertThat(group.take()).containsExactly("requeue b,c", "release k 2");
  }

  @Test
  void aRestoredSessionResumesPubrelThenSendsItsQueue() {
    session.setExpiry(MINUTE);
    session.restore(
        START.minusSeconds(10),
        List.of(
            new StoredQueueEntry(1, stored("a", QOS1)), new StoredQueueEntry(2, stored("b", QOS2))),
        Set.of(3),
        List.of(new StoredInflight(7, 2, true)),
        topic -> new int[0]);
    assertThat(session.stored().inboundQos2()).containsExactly(3);
    assertThat(f.store.take()).containsExactly("save k");
    attach(out, 5);
    assertThat(out.take()).containsExactly("CONNACK", "PUBREL 7", "PUBLISH 1 qos1 a");
  }

  @Test
  void aRestoredSessionExpiresCountingFromItsStoredDisconnect() {
    session.setExpiry(MINUTE);
    session.restore(START.minusSeconds(50), List.of(), Set.of(), List.of(), topic -> new int[0]);
    f.scheduler.advance(Duration.ofSeconds(9));
    assertThat(session.isEnded()).isFalse();
    f.scheduler.advance(Duration.ofSeconds(1));
    assertThat(session.isEnded()).isTrue();
    assertThat(f.store.take()).containsExactly("save k", "delete k");
  }

  @Test
  void recordsAndInboundQos2IdsAreStoredOnlyForAPersistentSession() {
    assertThat(session.storeRecord()).isDone();
    session.stored().rememberInboundQos2(4);
    session.stored().releaseInboundQos2(4);
    assertThat(f.store.take()).isEmpty();

    session.setExpiry(MINUTE);
    assertThat(session.storeRecord()).isDone();
    assertThat(session.stored().rememberInboundQos2(4)).isDone();
    session.stored().releaseInboundQos2(4);
    assertThat(f.store.take()).containsExactly("save k", "inbound k 4", "release inbound k 4");
    assertThat(f.store.lastSaved().expiry()).isEqualTo(MINUTE);
    assertThat(f.store.lastSaved().disconnectedAt()).isNull();
  }

  private static Message stored(String topic, Qos qos) {
    return Message.of(topic, topic.getBytes(StandardCharsets.UTF_8), qos, false);
  }
}
