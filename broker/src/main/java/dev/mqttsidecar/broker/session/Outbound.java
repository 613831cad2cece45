package dev.mqttsidecar.broker.session;

/**
 * Where a session sends messages: an MQTT connection or an in-process subscriber. Called only on
 * the session's serial executor.
 */
public interface Outbound {

  /**
   * Sends a message.
   *
   * @param entry the in-flight entry for QoS 1/2 (settle it through the session), null for QoS 0
   * @param dup true when this is a resend of a packet this session sent before [MQTT-3.3.1-1]
   */
  void publish(Session session, InflightEntry entry, QueuedMessage message, boolean dup);

  /**
   * Whether another QoS 1/2 message may be sent now. A connection says no while its unsent bytes
   * are over their bound, so a receiver that reads slowly (or not at all) leaves messages in the
   * session's bounded queue instead of in memory the connection holds; it then calls {@link
   * Session#outboundHasRoom()}.
   */
  default boolean hasRoom() {
    return true;
  }

  /**
   * QoS 2: sends PUBREL for a message the receiver has PUBREC'd; {@code found} is false when the
   * PUBREC named a packet id with nothing in flight (5.0: reason 0x92).
   */
  void pubrel(int packetId, boolean found);

  /**
   * True when unsettled messages go back to the queue at detach (in-process subscribers); false
   * when they stay in flight and are resent on resume (MQTT) [MQTT-4.4.0-1].
   */
  boolean requeueOnDetach();

  /** Another connection or subscriber took the session over; close this one [MQTT-3.1.4-3]. */
  void takenOver();
}
