package dev.mqttsidecar.bench.soak;

import java.util.BitSet;

/**
 * What one stream of the soak sent and what came back, by sequence number: a message the server
 * acknowledged (PUBACK, PUBCOMP, a successful Dapr call) and that never arrived is lost. Duplicates
 * (redeliveries after a reconnect) count once. Thread-safe.
 */
final class Ledger {
  private final String name;
  private final boolean guaranteed;
  private final BitSet acked = new BitSet();
  private final BitSet received = new BitSet();
  private long sent;
  private long errors;
  private String firstError;

  /**
   * @param guaranteed whether an acknowledged message must arrive (QoS 1/2, Dapr); QoS 0 may drop
   */
  Ledger(String name, boolean guaranteed) {
    this.name = name;
    this.guaranteed = guaranteed;
  }

  String name() {
    return name;
  }

  synchronized void sent() {
    sent++;
  }

  /** The server accepted message {@code seq}: from now on it must not be lost. */
  synchronized void acked(long seq) {
    acked.set(Math.toIntExact(seq));
  }

  synchronized void received(long seq) {
    if (seq >= 0 && seq <= Integer.MAX_VALUE) {
      received.set((int) seq);
    }
  }

  synchronized void error(String what) {
    errors++;
    if (firstError == null) {
      firstError = what;
    }
  }

  synchronized long sentCount() {
    return sent;
  }

  synchronized long ackedCount() {
    return acked.cardinality();
  }

  synchronized long receivedCount() {
    return received.cardinality();
  }

  synchronized long errors() {
    return errors;
  }

  synchronized String firstError() {
    return firstError;
  }

  /** Acknowledged messages that have not arrived (yet); 0 for a stream that may drop. */
  synchronized long missing() {
    if (!guaranteed) {
      return 0;
    }
    BitSet gone = (BitSet) acked.clone();
    gone.andNot(received);
    return gone.cardinality();
  }

  /** Messages sent but not received, guaranteed or not (QoS 0 drops show here). */
  synchronized long undelivered() {
    return Math.max(0, sent - received.cardinality());
  }
}
