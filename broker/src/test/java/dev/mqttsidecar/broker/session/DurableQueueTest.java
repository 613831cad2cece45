package dev.mqttsidecar.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.session.DurableQueue.Admission;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RecordingQueuePersistence;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DurableQueueTest {
  private static final String ID = "q";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Counters counters = new Counters();
  private final FakeOwner owner = new FakeOwner();

  /** An owner whose answers the test sets, recording what the queue dropped. */
  private static final class FakeOwner implements DurableQueue.Owner {
    boolean receiving = true;
    boolean ownsStore = true;
    final List<String> dropped = new ArrayList<>();

    @Override
    public boolean receiving() {
      return receiving;
    }

    @Override
    public boolean ownsStore() {
      return ownsStore;
    }

    @Override
    public void dropped(QueuedMessage m) {
      dropped.add(m.delivered().topic());
    }
  }

  private DurableQueue queue(int max, QueueOverflow overflow, RecordingQueuePersistence store) {
    return queue(max, Long.MAX_VALUE, overflow, store);
  }

  private DurableQueue queue(
      int max, long maxBytes, QueueOverflow overflow, RecordingQueuePersistence store) {
    QueueContext ctx =
        new QueueContext(Runnable::run, clock, max, maxBytes, overflow, counters, store);
    return new DurableQueue(ID, ctx, Runnable::run, owner);
  }

  private static QueuedMessage sized(String topic, int payloadBytes) {
    Message m = Message.of(topic, new byte[payloadBytes], Qos.AT_LEAST_ONCE, false);
    return QueuedMessage.direct(m, m);
  }

  private static QueuedMessage msg(String topic, Qos qos) {
    Message m = Message.of(topic, topic.getBytes(StandardCharsets.UTF_8), qos, false);
    return QueuedMessage.direct(m, m);
  }

  private static QueuedMessage expiring(String topic, Instant at) {
    Message m =
        new Message(
            topic,
            topic.getBytes(StandardCharsets.UTF_8),
            Qos.AT_LEAST_ONCE,
            false,
            MessageProperties.NONE,
            at);
    return QueuedMessage.direct(m, m);
  }

  private static List<String> drain(DurableQueue q, Instant now) {
    List<String> topics = new ArrayList<>();
    for (QueuedMessage m = q.peekUnexpired(now); m != null; m = q.peekUnexpired(now)) {
      q.poll();
      topics.add(m.delivered().topic());
    }
    return topics;
  }

  @Test
  void dropNewestRefusesTheNewMessageAndCountsIt() {
    DurableQueue q = queue(2, QueueOverflow.DROP_NEWEST, new RecordingQueuePersistence(false));
    assertThat(q.offer(msg("a", Qos.AT_LEAST_ONCE))).isTrue();
    assertThat(q.offer(msg("b", Qos.AT_LEAST_ONCE))).isTrue();
    assertThat(q.offer(msg("c", Qos.AT_LEAST_ONCE))).isFalse();

    assertThat(counters.queueOverflow()).isEqualTo(1);
    assertThat(owner.dropped).isEmpty();
    assertThat(drain(q, clock.instant())).containsExactly("a", "b");
  }

  @Test
  void dropOldestMakesRoomForgettingTheOldestStoredCopy() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(false);
    DurableQueue q = queue(2, QueueOverflow.DROP_OLDEST, store);
    q.admit(msg("a", Qos.AT_LEAST_ONCE), true);
    q.admit(msg("b", Qos.AT_LEAST_ONCE), true);
    Admission third = q.admit(msg("c", Qos.AT_LEAST_ONCE), true);

    assertThat(third.overflowed()).isFalse();
    assertThat(counters.queueOverflow()).isEqualTo(1);
    assertThat(owner.dropped).containsExactly("a");
    assertThat(store.calls())
        .containsExactly("append q 1 a", "append q 2 b", "remove q 1", "append q 3 c");
    assertThat(drain(q, clock.instant())).containsExactly("b", "c");
  }

  @Test
  void theByteBoundRefusesWhatDoesNotFitAndTakesWhatStillDoes() {
    DurableQueue q =
        queue(100, 10, QueueOverflow.DROP_NEWEST, new RecordingQueuePersistence(false));
    assertThat(q.offer(sized("six", 6))).isTrue();
    assertThat(q.offer(sized("five", 5))).isFalse();
    assertThat(q.offer(sized("four", 4))).isTrue();
    assertThat(q.offer(sized("eleven", 11))).isFalse();
    assertThat(q.bytes()).isEqualTo(10);
    assertThat(counters.queueOverflow()).isEqualTo(2);

    q.poll();
    assertThat(q.bytes()).isEqualTo(4);
    assertThat(q.offer(sized("five again", 5))).isTrue();
    assertThat(drain(q, clock.instant())).containsExactly("four", "five again");
    assertThat(q.bytes()).isZero();
  }

  @Test
  void dropOldestDropsAsManyAsALargeMessageNeeds() {
    DurableQueue q =
        queue(100, 10, QueueOverflow.DROP_OLDEST, new RecordingQueuePersistence(false));
    q.offer(sized("a", 3));
    q.offer(sized("b", 3));
    q.offer(sized("c", 3));
    assertThat(q.offer(sized("big", 8))).isTrue();

    assertThat(owner.dropped).containsExactly("a", "b", "c");
    assertThat(counters.queueOverflow()).isEqualTo(3);
    assertThat(q.offer(sized("too big", 11))).isFalse();
    assertThat(owner.dropped).containsExactly("a", "b", "c");
    assertThat(drain(q, clock.instant())).containsExactly("big");
  }

  @Test
  void spilledAndRestoredMessagesKeepCountingTheirPayload() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(true);
    owner.receiving = false; // nobody takes them: stored messages leave memory
    DurableQueue q = queue(100, 10, QueueOverflow.DROP_NEWEST, store);
    QueuedMessage spilled = sized("spilled", 6);
    q.admit(spilled, true);
    assertThat(spilled.delivered().payloadSize()).isZero(); // only in the store now
    assertThat(q.offer(sized("five", 5))).isFalse();

    Message six = Message.of("restored", new byte[6], Qos.AT_LEAST_ONCE, false);
    DurableQueue restored = queue(100, 10, QueueOverflow.DROP_NEWEST, store);
    StoredQueueEntry headersOnly = new StoredQueueEntry(1, six.withoutContent(), true, 6);
    restored.restore(List.of(headersOnly), List.of(headersOnly), m -> QueuedMessage.direct(m, m));
    assertThat(restored.bytes()).isEqualTo(6);
    assertThat(restored.offer(sized("five", 5))).isFalse();
  }

  @Test
  void overflowedAdmissionAcknowledgesAtOnceWithoutStoring() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(false);
    DurableQueue q = queue(1, QueueOverflow.DROP_NEWEST, store);
    q.admit(msg("a", Qos.AT_LEAST_ONCE), true);
    Admission refused = q.admit(msg("b", Qos.AT_LEAST_ONCE), true);
    CompletableFuture<Boolean> ack = new CompletableFuture<>();
    refused.acknowledge(ack);

    assertThat(refused).isEqualTo(new Admission(true, null));
    assertThat(ack).isCompletedWithValue(true);
    assertThat(store.calls()).containsExactly("append q 1 a");
  }

  @Test
  void qos0IsQueuedButNeverStored() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(true);
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    assertThat(q.admit(msg("a", Qos.AT_MOST_ONCE), true)).isSameAs(Admission.NOT_STORED);

    assertThat(store.calls()).isEmpty();
    assertThat(drain(q, clock.instant())).containsExactly("a");
  }

  @Test
  void qos0IsDroppedAndCountedWithoutReceiver() {
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, new RecordingQueuePersistence(false));
    assertThat(q.takesQos0(true)).isTrue();
    assertThat(counters.qos0Dropped()).isZero();
    assertThat(q.takesQos0(false)).isFalse();
    assertThat(counters.qos0Dropped()).isEqualTo(1);
  }

  @Test
  void publisherIsAcknowledgedOnlyOnceTheCopyIsStored() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(false).holdAppends();
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    CompletableFuture<Boolean> ack = new CompletableFuture<>();
    q.admit(msg("a", Qos.AT_LEAST_ONCE), true).acknowledge(ack);

    assertThat(store.calls()).containsExactly("append q 1 a");
    assertThat(ack).isNotDone();
    store.releaseAppends();
    assertThat(ack).isCompletedWithValue(false);
  }

  @Test
  void notDurableAcknowledgesAtOnce() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(false).holdAppends();
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    CompletableFuture<Boolean> ack = new CompletableFuture<>();
    q.admit(msg("a", Qos.EXACTLY_ONCE), false).acknowledge(ack);

    assertThat(ack).isCompletedWithValue(false);
    assertThat(store.calls()).isEmpty();
    assertThat(q.size()).isEqualTo(1);
  }

  @Test
  void aFailedStoreFailsTheAcknowledgement() {
    IllegalStateException disk = new IllegalStateException("disk full");
    RecordingQueuePersistence store = new RecordingQueuePersistence(false).failAppends(disk);
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    CompletableFuture<Boolean> ack = new CompletableFuture<>();
    q.admit(msg("a", Qos.AT_LEAST_ONCE), true).acknowledge(ack);

    assertThat(ack).isCompletedExceptionally();
    assertThat(ack.handle((v, e) -> e).join()).isSameAs(disk);
  }

  @Test
  void expiredMessagesAreDroppedCountedAndForgotten() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(false);
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    Instant start = clock.instant();
    q.admit(expiring("short", start.plusSeconds(5)), true);
    q.admit(expiring("long", start.plusSeconds(60)), true);
    q.admit(msg("never", Qos.AT_LEAST_ONCE), true);

    assertThat(drain(q, start.plusSeconds(5))).containsExactly("long", "never");
    assertThat(counters.expired()).isEqualTo(1);
    assertThat(owner.dropped).containsExactly("short");
    assertThat(store.calls()).contains("remove q 1").doesNotContain("remove q 2", "remove q 3");
  }

  @Test
  void aWaitingStoredMessageLeavesMemoryAndIsReadBack() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(true);
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    owner.receiving = false;
    QueuedMessage m = msg("a", Qos.AT_LEAST_ONCE);
    q.admit(m, true);

    assertThat(m.delivered().payloadSize()).isZero();
    QueuedMessage head = q.peekUnexpired(clock.instant());
    assertThat(head).isSameAs(m);
    assertThat(new String(head.delivered().payload(), StandardCharsets.UTF_8)).isEqualTo("a");
  }

  @Test
  void aMessageForAReceiverKeepingUpStaysInMemory() {
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, new RecordingQueuePersistence(true));
    QueuedMessage m = msg("a", Qos.AT_LEAST_ONCE);
    q.admit(m, true);

    assertThat(q.backlogged()).isFalse();
    assertThat(m.delivered().payloadSize()).isEqualTo(1);
  }

  @Test
  void aDeepQueueSpillsEvenWithAReceiver() {
    DurableQueue q = queue(1000, QueueOverflow.DROP_NEWEST, new RecordingQueuePersistence(true));
    List<QueuedMessage> all = new ArrayList<>();
    for (int i = 0; i <= QueuedMessage.IN_MEMORY_HEAD; i++) {
      QueuedMessage m = msg("m" + i, Qos.AT_LEAST_ONCE);
      all.add(m);
      q.admit(m, true);
    }
    assertThat(all.subList(0, QueuedMessage.IN_MEMORY_HEAD))
        .allMatch(m -> m.delivered().payloadSize() > 0);
    assertThat(all.get(QueuedMessage.IN_MEMORY_HEAD).delivered().payloadSize()).isZero();
  }

  @Test
  void aMessageAlreadySentIsNotSpilled() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(true).holdAppends();
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    owner.receiving = false;
    QueuedMessage m = msg("a", Qos.AT_LEAST_ONCE);
    q.admit(m, true);
    q.poll();
    m.incrementDeliveryCount();
    store.releaseAppends();

    assertThat(m.delivered().payloadSize()).isEqualTo(1);
  }

  @Test
  void aMessageGoneFromTheStoreIsSkipped() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(true);
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    owner.receiving = false;
    q.admit(msg("lost", Qos.AT_LEAST_ONCE), true);
    q.admit(msg("kept", Qos.AT_LEAST_ONCE), true);
    store.lose(ID, 1);

    assertThat(drain(q, clock.instant())).containsExactly("kept");
    assertThat(owner.dropped).containsExactly("lost");
    assertThat(counters.expired()).isZero();
  }

  @Test
  void restorePutsEntriesBackInOrderAndNumbersAfterEveryStoredOne() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(true);
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    Message five = Message.of("five", new byte[] {5}, Qos.AT_LEAST_ONCE, false);
    Message two = Message.of("two", new byte[] {2}, Qos.AT_LEAST_ONCE, false);
    store.append(ID, 5, five);
    StoredQueueEntry spilled = new StoredQueueEntry(5, five.withoutContent(), true, 1);
    StoredQueueEntry whole = new StoredQueueEntry(2, two);
    StoredQueueEntry inFlight = new StoredQueueEntry(9, two);
    q.restore(
        List.of(spilled, whole),
        List.of(spilled, whole, inFlight),
        m -> QueuedMessage.direct(m, m));

    QueuedMessage first = q.peekUnexpired(clock.instant());
    assertThat(first.delivered().topic()).isEqualTo("two");
    assertThat(first.storedIn()).isEqualTo(ID);
    assertThat(first.sequence()).isEqualTo(2);
    q.poll();
    QueuedMessage second = q.peekUnexpired(clock.instant());
    assertThat(second.sequence()).isEqualTo(5);
    assertThat(second.delivered().payload()).containsExactly(5);

    q.admit(msg("next", Qos.AT_LEAST_ONCE), true);
    assertThat(store.calls()).last().isEqualTo("append q 10 next");
  }

  @Test
  void closeDropsTheStoredQueueOnlyIfItWasUsed() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(false);
    DurableQueue unused = queue(10, QueueOverflow.DROP_NEWEST, store);
    unused.admit(msg("a", Qos.AT_LEAST_ONCE), false);
    unused.close();
    assertThat(store.calls()).isEmpty();
    assertThat(unused.size()).isZero();

    DurableQueue used = queue(10, QueueOverflow.DROP_NEWEST, store);
    used.admit(msg("b", Qos.AT_LEAST_ONCE), true);
    used.close();
    assertThat(store.calls()).containsExactly("append q 1 b", "drop q");
    assertThat(used.size()).isZero();
  }

  @Test
  void aSuccessorsStoredQueueIsLeftAlone() {
    RecordingQueuePersistence store = new RecordingQueuePersistence(false);
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, store);
    QueuedMessage m = msg("a", Qos.AT_LEAST_ONCE);
    q.admit(m, true);
    owner.ownsStore = false;

    CompletableFuture<Void> stored = q.store(msg("b", Qos.AT_LEAST_ONCE));
    q.forget(m);
    q.close();

    assertThat(stored).isCompleted();
    assertThat(m.storedIn()).isNull();
    assertThat(store.calls()).containsExactly("append q 1 a");
  }

  @Test
  void takeAllRemovesMatchesInQueueOrder() {
    DurableQueue q = queue(10, QueueOverflow.DROP_NEWEST, new RecordingQueuePersistence(false));
    for (String t : List.of("x1", "y1", "x2", "y2")) {
      q.offer(msg(t, Qos.AT_LEAST_ONCE));
    }
    List<QueuedMessage> xs = q.takeAll(m -> m.delivered().topic().startsWith("x"));

    assertThat(xs).extracting(m -> m.delivered().topic()).containsExactly("x1", "x2");
    assertThat(drain(q, clock.instant())).containsExactly("y1", "y2");
  }

  @Test
  void addFirstKeepsOrderAheadOfTheQueueAndIgnoresTheBound() {
    DurableQueue q = queue(1, QueueOverflow.DROP_NEWEST, new RecordingQueuePersistence(false));
    q.offer(msg("c", Qos.AT_LEAST_ONCE));
    q.addFirst(List.of(msg("a", Qos.AT_LEAST_ONCE), msg("b", Qos.AT_LEAST_ONCE)));
    q.addLast(msg("d", Qos.AT_LEAST_ONCE));

    assertThat(counters.queueOverflow()).isZero();
    assertThat(drain(q, clock.instant())).containsExactly("a", "b", "c", "d");
  }
}
