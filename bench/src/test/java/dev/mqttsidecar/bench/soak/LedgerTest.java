package dev.mqttsidecar.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Loss accounting by sequence number. */
class LedgerTest {

  @Test
  void anAcknowledgedMessageNeverReceivedIsMissingAndDuplicatesCountOnce() {
    Ledger l = new Ledger("QoS 1", true);
    for (long seq = 0; seq < 5; seq++) {
      l.sent();
      l.acked(seq);
    }
    l.received(0);
    l.received(1);
    l.received(1); // redelivered after a reconnect
    l.received(3);
    l.received(4);
    assertThat(l.receivedCount()).isEqualTo(4);
    assertThat(l.missing()).isEqualTo(1);
    l.received(2);
    assertThat(l.missing()).isZero();
  }

  @Test
  void aMessageNotYetAcknowledgedIsNotMissing() {
    Ledger l = new Ledger("QoS 2", true);
    l.sent();
    assertThat(l.missing()).isZero();
  }

  @Test
  void qos0MayDropWithoutBeingLost() {
    Ledger l = new Ledger("QoS 0", false);
    l.sent();
    l.acked(0);
    assertThat(l.missing()).isZero();
    assertThat(l.undelivered()).isEqualTo(1);
  }
}
