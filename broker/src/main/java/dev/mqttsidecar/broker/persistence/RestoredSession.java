package dev.mqttsidecar.broker.persistence;

import java.util.List;
import java.util.Set;

/**
 * A session read back at start.
 *
 * @param session its stored state
 * @param inboundQos2 packet ids of inbound QoS 2 messages received and not yet released
 * @param inflight outbound messages in flight, by packet id order
 */
public record RestoredSession(
    StoredSession session, Set<Integer> inboundQos2, List<StoredInflight> inflight) {

  public RestoredSession {
    inboundQos2 = Set.copyOf(inboundQos2);
    inflight = List.copyOf(inflight);
  }
}
