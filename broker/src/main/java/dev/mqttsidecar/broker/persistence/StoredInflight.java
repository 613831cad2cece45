package dev.mqttsidecar.broker.persistence;

/**
 * An outbound QoS 1/2 message sent and not yet settled.
 *
 * @param packetId its packet id
 * @param sequence the sequence of the message in the session's queue (the message is stored there)
 * @param pubrecReceived QoS 2: PUBREC arrived, so after a restart PUBREL is resent, not the PUBLISH
 */
public record StoredInflight(int packetId, long sequence, boolean pubrecReceived) {}
