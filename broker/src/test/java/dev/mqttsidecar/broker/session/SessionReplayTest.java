package dev.mqttsidecar.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.StoredSubscription;
import dev.mqttsidecar.broker.testing.RecordingOutbound;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A session's backlogs: fed only while the session has room, paused, resumed and stopped. */
class SessionReplayTest {
  private static final int MAX_QUEUED = 100;

  /** The restart mark of a backlog the session record does not keep. */
  private static final long NOT_STORED = 0;

  private final SessionFixture f = new SessionFixture(MAX_QUEUED);
  private final Session session = f.session("k");
  private final RecordingOutbound out = RecordingOutbound.mqtt();

  /** Hands out {@code r/0} .. {@code r/<total - 1>}, counting what it handed out. */
  private static final class CountingBacklog implements Backlog {
    final int total;
    final Qos qos;
    int handedOut;

    CountingBacklog(int total, Qos qos) {
      this.total = total;
      this.qos = qos;
    }

    @Override
    public boolean next(int maxCount, long maxBytes, Consumer<QueuedMessage> to) {
      for (int i = 0; i < maxCount && handedOut < total; i++) {
        to.accept(SessionFixture.message("r/" + handedOut++, qos));
      }
      return handedOut < total;
    }
  }

  private void attach(int window) {
    assertThat(session.attach(out, window, () -> {})).isDone();
  }

  /** Settles every message in flight, as a client acknowledging all it got. */
  private void settleAll() {
    for (RecordingOutbound.Sent s : out.published()) {
      if (s.entry() != null) {
        session.settle(s.entry().packetId(), s.entry());
      }
    }
  }

  @Test
  void aBacklogIsFedOnlyAsTheWindowFreesUpAndArrivesWholeInOrder() {
    attach(10);
    CountingBacklog backlog = new CountingBacklog(1_000, Qos.AT_LEAST_ONCE);
    session.replay("r/#", backlog, NOT_STORED, false);
    assertThat(out.topics()).hasSize(10);
    // The window is full: one batch waits in the queue, no more is read.
    assertThat(backlog.handedOut).isLessThanOrEqualTo(10 + QueuedMessage.IN_MEMORY_HEAD);
    for (int round = 0; round < 1_000 && out.topics().size() < 1_000; round++) {
      int before = out.published().size();
      settleAll();
      assertThat(backlog.handedOut - out.topics().size())
          .isLessThanOrEqualTo(QueuedMessage.IN_MEMORY_HEAD);
      assertThat(out.topics().size()).isGreaterThan(before);
    }
    assertThat(out.topics()).hasSize(1_000).startsWith("r/0", "r/1").endsWith("r/999");
    assertThat(f.counters.queueOverflow()).isZero();
    assertThat(f.counters.retainedReplays()).isZero();
    assertThat(f.counters.retainedReplaysAbandoned()).isZero();
  }

  @Test
  void aBatchNeverOverflowsASmallQueue() {
    SessionFixture small = new SessionFixture(3);
    Session s = small.session("s");
    RecordingOutbound o = RecordingOutbound.mqtt();
    s.attach(o, 100, () -> {});
    s.replay("r/#", new CountingBacklog(50, Qos.AT_LEAST_ONCE), NOT_STORED, false);
    assertThat(o.topics()).hasSize(50);
    assertThat(small.counters.queueOverflow()).isZero();
  }

  @Test
  void liveMessagesWaitBehindOneBatchAtMost() {
    attach(1);
    CountingBacklog backlog = new CountingBacklog(1_000, Qos.AT_LEAST_ONCE);
    session.replay("r/#", backlog, NOT_STORED, false);
    session.enqueue(SessionFixture.message("live", Qos.AT_LEAST_ONCE));
    for (int i = 0; i < 200 && !out.topics().contains("live"); i++) {
      settleAll();
    }
    assertThat(out.topics().indexOf("live")).isBetween(1, QueuedMessage.IN_MEMORY_HEAD + 1);
  }

  @Test
  void qos0BacklogWaitsWhileTheOutboundHasNoRoom() {
    attach(10);
    out.room(false);
    CountingBacklog backlog = new CountingBacklog(500, Qos.AT_MOST_ONCE);
    session.replay("r/#", backlog, NOT_STORED, false);
    assertThat(backlog.handedOut).isZero();
    out.room(true);
    session.outboundHasRoom();
    assertThat(out.topics()).hasSize(500);
  }

  @Test
  void qos0BacklogMessagesWaitWhenTheOutboundFillsMidBatch() {
    attach(10);
    out.roomFor(5);
    session.replay("r/#", new CountingBacklog(500, Qos.AT_MOST_ONCE), NOT_STORED, false);
    assertThat(out.topics()).hasSize(5);
    out.room(true);
    session.outboundHasRoom();
    assertThat(out.topics()).hasSize(500).doesNotHaveDuplicates();
    assertThat(f.counters.qos0Dropped()).isZero();
  }

  @Test
  void anOfflineSessionsBacklogWaitsForItsReturn() {
    session.setExpiry(Duration.ofMinutes(1));
    attach(10);
    session.detach(out);
    CountingBacklog backlog = new CountingBacklog(100, Qos.AT_LEAST_ONCE);
    session.replay("r/#", backlog, NOT_STORED, false);
    assertThat(backlog.handedOut).isZero();
    RecordingOutbound back = RecordingOutbound.mqtt();
    session.attach(back, 1_000, () -> {});
    assertThat(back.topics()).hasSize(100);
    assertThat(f.counters.retainedReplays()).isZero();
  }

  @Test
  void stopReplaceAndEndFreeTheBacklog() {
    attach(1);
    CountingBacklog first = new CountingBacklog(1_000, Qos.AT_LEAST_ONCE);
    session.replay("a/#", first, NOT_STORED, false);
    session.stopReplay("a/#");
    int read = first.handedOut;
    settleAll();
    assertThat(first.handedOut).isEqualTo(read);
    assertThat(f.counters.retainedReplays()).isZero();

    CountingBacklog second = new CountingBacklog(1_000, Qos.AT_LEAST_ONCE);
    CountingBacklog third = new CountingBacklog(1_000, Qos.AT_LEAST_ONCE);
    session.replay("b/#", second, NOT_STORED, false);
    session.replay("b/#", third, NOT_STORED, false); // a new SUBSCRIBE of the same filter
    assertThat(f.counters.retainedReplays()).isEqualTo(1);
    session.end();
    assertThat(f.counters.retainedReplays()).isZero();
    assertThat(f.counters.retainedReplaysAbandoned()).isEqualTo(3);
    session.replay("c/#", new CountingBacklog(10, Qos.AT_LEAST_ONCE), NOT_STORED, false);
    assertThat(f.counters.retainedReplays()).isZero(); // an ended session takes none
  }

  @Test
  void aBacklogThatFailsIsDroppedAndTheSessionGoesOn() {
    attach(10);
    session.replay(
        "r/#",
        (maxCount, maxBytes, to) -> {
          throw new IllegalStateException("store unreadable");
        },
        NOT_STORED,
        false);
    assertThat(f.counters.retainedReplays()).isZero();
    assertThat(f.counters.retainedReplaysAbandoned()).isEqualTo(1);
    Message live = Message.of("live", new byte[0], Qos.AT_LEAST_ONCE, false);
    session.enqueue(QueuedMessage.direct(live, live));
    assertThat(out.topics()).isEqualTo(List.of("live"));
  }

  @Test
  void aHeldReplayWaitsForItsReleaseAndStaysInTheRecordUntilDone() {
    session.setExpiry(Duration.ofMinutes(1));
    session.subscriptionRecord().added("r/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE), null);
    attach(1);
    CountingBacklog backlog = new CountingBacklog(100, Qos.AT_LEAST_ONCE);
    session.replay("r/#", backlog, 42, true);
    assertThat(backlog.handedOut).as("held: the SUBACK goes first").isZero();
    assertThat(f.store.lastSaved().subscriptions())
        .singleElement()
        .extracting(StoredSubscription::replayBefore)
        .isEqualTo(42L);

    session.releaseReplays(List.of("r/#"));
    assertThat(out.topics()).hasSize(1);
    for (int i = 0; i < 200 && backlog.handedOut < 100; i++) {
      assertThat(f.store.lastSaved().subscriptions().get(0).replayBefore())
          .as("part of it is only in the retained store")
          .isEqualTo(42L);
      settleAll();
    }
    assertThat(f.store.lastSaved().subscriptions().get(0).replayBefore())
        .as("all of it is in the session's queue: a restart starts nothing again")
        .isZero();
    for (int i = 0; i < 200 && out.topics().size() < 100; i++) {
      settleAll();
    }
    assertThat(out.topics()).hasSize(100).doesNotHaveDuplicates();
  }

  @Test
  void aReplayHeldForASubackThatNeverWentGoesOnWithTheNextConnection() {
    session.setExpiry(Duration.ofMinutes(1));
    attach(10);
    CountingBacklog backlog = new CountingBacklog(5, Qos.AT_LEAST_ONCE);
    session.replay("r/#", backlog, 42, true);
    session.detach(out); // closed before its SUBACK was sent
    RecordingOutbound back = RecordingOutbound.mqtt();
    session.attach(back, 10, () -> {});
    assertThat(back.topics()).hasSize(5);
  }
}
