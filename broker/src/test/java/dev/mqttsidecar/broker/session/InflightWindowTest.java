package dev.mqttsidecar.broker.session;

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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-flight window on its own, with a recording outbound and tasks run at once. */
class InflightWindowTest {
  private static final Qos QOS1 = Qos.AT_LEAST_ONCE;
  private static final Qos QOS2 = Qos.EXACTLY_ONCE;

  private final SessionFixture f = new SessionFixture();
  private final Session owner = f.session("k");
  private final SessionQueue queue = new SessionQueue(owner, f.ctx);
  private final DurableSession durable = new DurableSession(owner, f.store);
  private final RecordingOutbound out = RecordingOutbound.mqtt();
  private Outbound attached = out;
  private int pumps;
  private final InflightWindow window =
      new InflightWindow(
          owner, queue, durable, f.ctx, Runnable::run, () -> attached, () -> pumps++);

  /** The session outlives its connection: its in-flight QoS 2 state is stored. */
  private void persistent() {
    durable.save(Duration.ofMinutes(1), null, Map.of(), Map.of());
    f.store.take();
  }

  /** A message with a durable copy in this session's queue. */
  private QueuedMessage stored(String topic, Qos qos, long sequence) {
    QueuedMessage m = message(topic, qos);
    f.queues.append("k", sequence, m.delivered());
    m.storedAt("k", sequence);
    f.queues.take();
    return m;
  }

  @Test
  void givesPacketIdsInOrderWithinTheBound() {
    window.limit(2);
    window.send(message("a", QOS1));
    window.send(message("b", QOS2));
    assertThat(out.take()).containsExactly("PUBLISH 1 qos1 a", "PUBLISH 2 qos2 b");
    assertThat(window.full()).isTrue();

    window.settle(1, null);
    assertThat(window.full()).isFalse();
    assertThat(pumps).isEqualTo(1);
    window.send(message("c", QOS1));
    assertThat(out.take()).containsExactly("PUBLISH 3 qos1 c");
  }

  @Test
  void theBoundIsAtLeastOne() {
    window.limit(0);
    assertThat(window.limit()).isEqualTo(1);
    window.limit(7);
    assertThat(window.limit()).isEqualTo(7);
  }

  @Test
  void packetIdsStillInFlightAreSkippedAfterWrapping() {
    window.limit(2);
    window.send(message("held", QOS1)); // id 1 stays in flight
    for (int id = 2; id <= 65535; id++) {
      window.send(message("m", QOS1));
      window.settle(id, null);
      assertThat(window.size()).isEqualTo(1);
    }
    out.take();
    window.send(message("next", QOS1));
    assertThat(out.take()).containsExactly("PUBLISH 2 qos1 next"); // [MQTT-2.2.1-3]
  }

  @Test
  void staleAndUnknownAcksChangeNothing() {
    window.send(message("a", QOS1));
    InflightEntry sent = out.entry(1);
    window.settle(9, null);
    window.settle(1, new InflightEntry(1, message("a", QOS1)));
    assertThat(window.size()).isEqualTo(1);
    assertThat(pumps).isZero();

    window.settle(1, sent);
    assertThat(window.size()).isZero();
    assertThat(pumps).isEqualTo(1);
  }

  @Test
  void qos2GoesThroughPubrecAndPubcompKeepingItsStoredStateInStep() {
    persistent();
    window.send(stored("a", QOS2, 7));
    assertThat(out.take()).containsExactly("PUBLISH 1 qos2 a");
    assertThat(f.store.take()).containsExactly("inflight k 1 seq 7");

    window.pubrec(1, false);
    assertThat(out.take()).containsExactly("PUBREL 1"); // [MQTT-4.3.3-4]
    assertThat(f.store.take()).containsExactly("inflight k 1 seq 7 pubrec");
    assertThat(window.size()).isEqualTo(1); // until PUBCOMP

    window.settle(1, null);
    assertThat(window.size()).isZero();
    assertThat(f.store.take()).containsExactly("forget inflight k 1");
    assertThat(f.queues.take()).containsExactly("remove k 7");
  }

  @Test
  void qos1InFlightIsNotStoredButItsCopyGoesAtSettle() {
    persistent();
    window.send(stored("a", QOS1, 3));
    window.settle(1, null);
    assertThat(f.store.take()).isEmpty();
    assertThat(f.queues.take()).containsExactly("remove k 3");
  }

  @Test
  void qos2OfASessionWithoutRecordStoresNothingInFlight() {
    window.send(stored("a", QOS2, 1));
    window.pubrec(1, false);
    assertThat(out.take()).containsExactly("PUBLISH 1 qos2 a", "PUBREL 1");
    assertThat(f.store.take()).isEmpty();
  }

  @Test
  void aPubrecForNothingInFlightIsAnsweredNotFound() {
    window.pubrec(5, false);
    window.pubrec(6, true);
    window.send(message("a", QOS1));
    window.pubrec(1, false); // PUBREC is no answer to QoS 1
    assertThat(out.take())
        .containsExactly("PUBREL 5 not found", "PUBLISH 1 qos1 a", "PUBREL 1 not found");
    assertThat(window.size()).isEqualTo(1);

    attached = null;
    window.pubrec(5, false);
    assertThat(out.take()).isEmpty();
  }

  @Test
  void aFailedPubrecSettles() {
    persistent();
    window.send(stored("a", QOS2, 4));
    out.take();
    f.store.take();
    window.pubrec(1, true);
    assertThat(out.take()).isEmpty();
    assertThat(window.size()).isZero();
    assertThat(pumps).isEqualTo(1);
    assertThat(f.store.take()).containsExactly("forget inflight k 1");
    assertThat(f.queues.take()).containsExactly("remove k 4");
  }

  @Test
  void aStoredQos2MessageWaitsForItsPacketIdToBeStored() {
    persistent();
    f.store.holdInflightWrites();
    window.send(stored("a", QOS2, 1));
    assertThat(out.take()).isEmpty();
    assertThat(window.full()).isTrue(); // holds its slot
    window.resend();
    assertThat(out.take()).isEmpty(); // never sent, so not resent either

    f.store.completeHeld();
    assertThat(out.take()).containsExactly("PUBLISH 1 qos2 a"); // [MQTT-4.4.0-1]
  }

  @Test
  void aHeldMessageIsNotSentOnceItsOutboundLeft() {
    persistent();
    f.store.holdInflightWrites();
    window.send(stored("a", QOS2, 1));
    attached = null;
    f.store.completeHeld();
    assertThat(out.take()).isEmpty();
    assertThat(window.size()).isEqualTo(1);
  }

  @Test
  void aReconnectResendsPublishWithDupAndPubrelPastPubrec() {
    window.limit(2);
    window.send(message("a", QOS1));
    window.send(message("b", QOS2));
    window.pubrec(2, false);
    RecordingOutbound next = RecordingOutbound.mqtt();
    attached = next;

    window.resend();
    assertThat(next.take()).containsExactly("PUBLISH 1 qos1 dup a", "PUBREL 2"); // [MQTT-3.3.1-1]
    assertThat(out.entry(1).message().deliveryCount()).isEqualTo(2);
    assertThat(window.size()).isEqualTo(2);
  }

  @Test
  void aResendDropsAMessageWhoseStoredCopyIsGone() {
    persistent();
    QueuedMessage m = stored("a", QOS2, 5);
    window.send(m);
    m.spill();
    f.queues.lose("k", 5);
    f.store.take();
    RecordingOutbound next = RecordingOutbound.mqtt();
    attached = next;

    window.resend();
    assertThat(next.take()).isEmpty();
    assertThat(window.size()).isZero();
    assertThat(f.store.take()).containsExactly("forget inflight k 1");
  }

  @Test
  void aNackWithoutDelayPutsTheMessageBackFirst() {
    window.send(message("a", QOS1));
    queue.offer(message("b", QOS1));
    window.nack(1, out.entry(1), Duration.ZERO);
    assertThat(window.size()).isZero();
    assertThat(pumps).isEqualTo(1);
    assertThat(queue.poll().delivered().topic()).isEqualTo("a");
    assertThat(queue.poll().delivered().topic()).isEqualTo("b");
  }

  @Test
  void aDelayedNackRequeuesWhenItsTimerFires() {
    window.send(message("a", QOS1));
    window.nack(1, out.entry(1), Duration.ofSeconds(5));
    assertThat(window.size()).isZero();
    assertThat(queue.peekUnexpired(f.clock.instant())).isNull();

    f.scheduler.advance(Duration.ofMillis(4999));
    assertThat(queue.peekUnexpired(f.clock.instant())).isNull();
    f.scheduler.advance(Duration.ofMillis(1));
    assertThat(queue.peekUnexpired(f.clock.instant()).delivered().topic()).isEqualTo("a");
    assertThat(pumps).isEqualTo(2);
  }

  @Test
  void aDelayedNackOfAnEndedSessionIsDropped() {
    window.send(message("a", QOS1));
    window.nack(1, out.entry(1), Duration.ofSeconds(5));
    owner.end();
    f.scheduler.advance(Duration.ofSeconds(5));
    assertThat(queue.peekUnexpired(f.clock.instant())).isNull();
    assertThat(pumps).isEqualTo(1);
  }

  @Test
  void aStaleNackIsIgnored() {
    window.send(message("a", QOS1));
    window.nack(1, new InflightEntry(1, message("a", QOS1)), Duration.ZERO);
    window.nack(2, out.entry(1), Duration.ZERO);
    window.nack(1, null, Duration.ZERO);
    assertThat(window.size()).isEqualTo(1);
    assertThat(pumps).isZero();
  }

  @Test
  void aStoppedTimerDoesNotFailADelayedNack() {
    window.send(message("a", QOS1));
    f.scheduler.shutdown();
    window.nack(1, out.entry(1), Duration.ofSeconds(5));
    assertThat(window.size()).isZero();
    assertThat(pumps).isEqualTo(1);
  }

  @Test
  void aSharedGroupsMessagesGoBackToTheGroup() {
    RecordingGroup group = new RecordingGroup();
    window.limit(3);
    window.send(groupMessage("a", QOS1, group));
    window.send(groupMessage("b", QOS1, group));
    window.send(groupMessage("c", QOS1, group));

    window.nack(1, out.entry(1), Duration.ZERO);
    assertThat(group.take()).containsExactly("requeue a", "release k 1");
    window.nack(2, out.entry(2), Duration.ofSeconds(3));
    assertThat(group.take()).containsExactly("release k 1"); // the slot frees at once
    f.scheduler.advance(Duration.ofSeconds(3));
    assertThat(group.take()).containsExactly("requeue b");
    window.settle(3, null);
    assertThat(group.take()).containsExactly("release k 1");
  }

  @Test
  void takeAllEmptiesTheWindowInSendingOrder() {
    window.limit(3);
    window.send(message("a", QOS1));
    window.send(message("b", QOS1));
    window.send(message("c", QOS1));
    window.settle(2, null);
    assertThat(window.takeAll()).extracting(m -> m.delivered().topic()).containsExactly("a", "c");
    assertThat(window.size()).isZero();
  }

  @Test
  void restoredEntriesGoOnUnderTheirPacketIds() {
    Message a = Message.of("a", "a".getBytes(StandardCharsets.UTF_8), QOS1, false);
    Message b = Message.of("b", "b".getBytes(StandardCharsets.UTF_8), QOS2, false);
    List<StoredQueueEntry> rest =
        window.restore(
            List.of(new StoredQueueEntry(1, a), new StoredQueueEntry(2, b)),
            List.of(new StoredInflight(7, 2, true), new StoredInflight(9, 5, false)),
            topic -> new int[0]);
    assertThat(rest).extracting(StoredQueueEntry::sequence).containsExactly(1L);
    assertThat(f.store.take()).containsExactly("forget inflight k 9"); // its message is gone
    assertThat(window.size()).isEqualTo(1);

    window.resend();
    window.limit(2);
    window.send(message("c", QOS1));
    assertThat(out.take()).containsExactly("PUBREL 7", "PUBLISH 1 qos1 c");
    window.settle(7, null);
    assertThat(f.store.take()).containsExactly("forget inflight k 7");
  }
}
