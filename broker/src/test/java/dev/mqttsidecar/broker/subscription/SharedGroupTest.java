package dev.mqttsidecar.broker.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.QueueContext;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionContext;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RecordingOutbound;
import dev.mqttsidecar.broker.testing.RecordingOutbound.Sent;
import dev.mqttsidecar.broker.testing.RecordingQueuePersistence;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedGroupTest {
  private static final String RAW = "$share/g/t/#";

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final Counters counters = new Counters();
  private final RecordingQueuePersistence store = new RecordingQueuePersistence(false);
  private QueueContext queueing = context(10, QueueOverflow.DROP_NEWEST);
  private SharedGroup group = newGroup();

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  private QueueContext context(int max, QueueOverflow overflow) {
    return new QueueContext(
        Runnable::run, new MutableClock(), max, Long.MAX_VALUE, overflow, counters, store);
  }

  private SharedGroup newGroup() {
    return new SharedGroup("g", TopicRules.SPEC.parseFilter(RAW), queueing);
  }

  private void bound(int max, QueueOverflow overflow) {
    queueing = context(max, overflow);
    group = newGroup();
  }

  /** A member session, in the group's member list (as the index would put it). */
  private Session member(String id, Qos granted, Duration expiry) {
    Session s =
        new Session(id, id, new SessionContext(queueing, timers, x -> {}, SessionPersistence.NONE));
    s.setExpiry(expiry);
    s.subscriptionRecord().added(RAW, SubscriptionOptions.of(granted), group);
    group.addMember(s, SubscriptionOptions.of(granted));
    return s;
  }

  private static RecordingOutbound attach(Session s, int window) {
    RecordingOutbound out = RecordingOutbound.inProcess();
    s.attach(out, window, () -> {});
    return out;
  }

  private static Message msg(String topic, Qos qos) {
    return Message.of(topic, new byte[] {1}, qos, false);
  }

  private static void settle(Session s, Sent sent) {
    s.settle(sent.entry().packetId(), sent.entry());
  }

  @Test
  void roundRobinAmongMembersWithAFreeSlot() {
    Session a = member("a", Qos.AT_LEAST_ONCE, Duration.ZERO);
    Session b = member("b", Qos.AT_LEAST_ONCE, Duration.ZERO);
    RecordingOutbound outA = attach(a, 1);
    RecordingOutbound outB = attach(b, 1);

    for (String t : List.of("t/1", "t/2", "t/3")) {
      group.offer(msg(t, Qos.AT_LEAST_ONCE));
    }
    assertThat(outA.topics()).containsExactly("t/1");
    assertThat(outB.topics()).containsExactly("t/2");

    settle(a, outA.published().get(0));
    assertThat(outA.topics()).containsExactly("t/1", "t/3");
    assertThat(outB.topics()).containsExactly("t/2");
  }

  @Test
  void aNackedMessageGoesToAnotherMember() {
    Session a = member("a", Qos.AT_LEAST_ONCE, Duration.ZERO);
    Session b = member("b", Qos.AT_LEAST_ONCE, Duration.ZERO);
    RecordingOutbound outA = attach(a, 1);
    RecordingOutbound outB = attach(b, 1);
    group.offer(msg("t/1", Qos.AT_LEAST_ONCE));
    Sent first = outA.published().get(0);

    a.nack(first.entry().packetId(), first.entry(), Duration.ZERO);

    assertThat(outA.topics()).containsExactly("t/1");
    assertThat(outB.topics()).containsExactly("t/1");
    assertThat(outB.published().get(0).message().deliveryCount()).isEqualTo(2);
  }

  @Test
  void aLeavingMembersUnsettledMessageGoesToAnotherMember() {
    Session a = member("a", Qos.AT_LEAST_ONCE, Duration.ZERO);
    Session b = member("b", Qos.AT_LEAST_ONCE, Duration.ZERO);
    RecordingOutbound outA = attach(a, 1);
    RecordingOutbound outB = attach(b, 1);
    group.offer(msg("t/1", Qos.AT_LEAST_ONCE));
    group.offer(msg("t/2", Qos.AT_LEAST_ONCE));

    a.detach(outA);

    assertThat(outA.topics()).containsExactly("t/1");
    assertThat(outB.topics()).containsExactly("t/2");
    settle(b, outB.published().get(0));
    assertThat(outB.topics()).containsExactly("t/2", "t/1");
  }

  @Test
  void theGroupQueueIsBoundedAndWaitsForAMember() {
    bound(2, QueueOverflow.DROP_NEWEST);
    Session a = member("a", Qos.AT_LEAST_ONCE, Duration.ofMinutes(1));
    CompletableFuture<Boolean> f1 = group.offer(msg("t/1", Qos.AT_LEAST_ONCE));
    CompletableFuture<Boolean> f2 = group.offer(msg("t/2", Qos.AT_LEAST_ONCE));
    CompletableFuture<Boolean> f3 = group.offer(msg("t/3", Qos.AT_LEAST_ONCE));

    assertThat(f1).isCompletedWithValue(false);
    assertThat(f2).isCompletedWithValue(false);
    assertThat(f3).isCompletedWithValue(true);
    assertThat(counters.queueOverflow()).isEqualTo(1);
    String q = group.queueId();
    assertThat(store.calls()).containsExactly("append " + q + " 1 t/1", "append " + q + " 2 t/2");

    RecordingOutbound out = attach(a, 10);
    assertThat(out.topics()).containsExactly("t/1", "t/2");
  }

  @Test
  void dropOldestForgetsTheOldestStoredCopy() {
    bound(1, QueueOverflow.DROP_OLDEST);
    Session a = member("a", Qos.AT_LEAST_ONCE, Duration.ofMinutes(1));
    group.offer(msg("t/1", Qos.AT_LEAST_ONCE));
    CompletableFuture<Boolean> f2 = group.offer(msg("t/2", Qos.AT_LEAST_ONCE));

    assertThat(f2).isCompletedWithValue(false);
    String q = group.queueId();
    assertThat(store.calls())
        .containsExactly("append " + q + " 1 t/1", "remove " + q + " 1", "append " + q + " 2 t/2");
    assertThat(attach(a, 10).topics()).containsExactly("t/2");
  }

  @Test
  void theAcknowledgementWaitsForTheGroupsDurableCopy() {
    store.holdAppends();
    member("a", Qos.AT_LEAST_ONCE, Duration.ofMinutes(1));
    CompletableFuture<Boolean> ack = group.offer(msg("t/1", Qos.AT_LEAST_ONCE));

    assertThat(ack).isNotDone();
    store.releaseAppends();
    assertThat(ack).isCompletedWithValue(false);
  }

  @Test
  void withoutPersistentMembersNothingIsStored() {
    Session a = member("a", Qos.AT_LEAST_ONCE, Duration.ZERO);
    RecordingOutbound out = attach(a, 1);
    assertThat(group.offer(msg("t/1", Qos.AT_LEAST_ONCE))).isCompletedWithValue(false);

    assertThat(store.calls()).isEmpty();
    assertThat(out.topics()).containsExactly("t/1");
  }

  @Test
  void qos0WithNoOnlineMemberIsDroppedAndCounted() {
    Session a = member("a", Qos.AT_LEAST_ONCE, Duration.ofMinutes(1));
    assertThat(group.offer(msg("t/1", Qos.AT_MOST_ONCE))).isCompletedWithValue(false);

    assertThat(counters.qos0Dropped()).isEqualTo(1);
    assertThat(attach(a, 10).topics()).isEmpty();
    assertThat(store.calls()).isEmpty();
  }

  @Test
  void aMemberGrantedQos0GetsItDowngradedAndTheGroupForgetsItsCopy() {
    Session a = member("a", Qos.AT_MOST_ONCE, Duration.ofMinutes(1));
    RecordingOutbound out = attach(a, 1);
    group.offer(msg("t/1", Qos.EXACTLY_ONCE));

    assertThat(out.published()).hasSize(1);
    assertThat(out.published().get(0).entry()).isNull();
    assertThat(out.published().get(0).message().qos()).isEqualTo(Qos.AT_MOST_ONCE);
    String q = group.queueId();
    assertThat(store.calls()).containsExactly("append " + q + " 1 t/1", "remove " + q + " 1");
  }

  @Test
  void restoredMessagesGoOutInSequenceOrderAndAreForgottenWhenSettled() {
    Session a = member("a", Qos.AT_LEAST_ONCE, Duration.ofMinutes(1));
    RecordingOutbound out = attach(a, 10);
    group.restore(
        List.of(
            new StoredQueueEntry(7, msg("t/7", Qos.AT_LEAST_ONCE)),
            new StoredQueueEntry(3, msg("t/3", Qos.AT_LEAST_ONCE))));

    assertThat(out.topics()).containsExactly("t/3", "t/7");
    settle(a, out.published().get(0));
    group.offer(msg("t/next", Qos.AT_LEAST_ONCE));

    String q = group.queueId();
    assertThat(store.calls()).containsExactly("remove " + q + " 3", "append " + q + " 8 t/next");
  }

  @Test
  void closingTheGroupDropsItsStoredQueue() {
    member("a", Qos.AT_LEAST_ONCE, Duration.ofMinutes(1));
    group.offer(msg("t/1", Qos.AT_LEAST_ONCE));
    group.close();

    String q = group.queueId();
    assertThat(store.calls()).containsExactly("append " + q + " 1 t/1", "drop " + q);
    assertThat(group.offer(msg("t/2", Qos.AT_LEAST_ONCE))).isCompletedWithValue(false);
    assertThat(store.calls()).hasSize(2);
  }
}
