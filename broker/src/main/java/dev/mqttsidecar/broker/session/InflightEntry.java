package dev.mqttsidecar.broker.session;

/** A QoS 1/2 message sent and not yet settled, keyed by packet (delivery) id. */
public final class InflightEntry {
  private final int packetId;
  private final QueuedMessage message;
  private boolean pubrecReceived;
  private boolean recorded; // the store holds a record of this entry
  private boolean awaitingRecord; // not sent yet: waits until its packet id is stored

  InflightEntry(int packetId, QueuedMessage message) {
    this.packetId = packetId;
    this.message = message;
  }

  public int packetId() {
    return packetId;
  }

  public QueuedMessage message() {
    return message;
  }

  /** QoS 2: PUBREC arrived, so the next step is PUBREL/PUBCOMP [MQTT-4.3.3-4]. */
  boolean pubrecReceived() {
    return pubrecReceived;
  }

  void markPubrecReceived() {
    pubrecReceived = true;
  }

  boolean recorded() {
    return recorded;
  }

  void markRecorded() {
    recorded = true;
  }

  boolean awaitingRecord() {
    return awaitingRecord;
  }

  void awaitRecord(boolean value) {
    awaitingRecord = value;
  }
}
