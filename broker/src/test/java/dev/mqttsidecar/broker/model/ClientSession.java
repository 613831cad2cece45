package dev.mqttsidecar.broker.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client side of one session, from its start until the broker says it is gone (CONNACK Session
 * Present 0): the QoS 2 packet ids received and not yet released (method A of MQTT 5.0 section
 * 4.3.3, so a resent PUBLISH is not handed to the application twice), and what the application got.
 * Connections of the same session share one instance; readers of several connections may call it.
 */
final class ClientSession {
  private final Set<Integer> unreleasedQos2 = new HashSet<>();
  private final Set<String> received = new HashSet<>();
  private final Map<String, Integer> liveQos2Deliveries = new HashMap<>();
  private final List<String> duplicates = new ArrayList<>();

  /**
   * Records a PUBLISH; returns whether it goes to the application (false for a resent QoS 2 PUBLISH
   * whose packet id was not released yet).
   */
  synchronized boolean arrived(String messageId, int qos, int packetId, boolean retainFlag) {
    if (qos == 2 && !unreleasedQos2.add(packetId)) {
      return false;
    }
    received.add(messageId);
    // A live delivery (RETAIN 0) happens once per session at QoS 2 [MQTT-4.3.3]; a retained
    // message sent on subscribe (RETAIN 1) may come again with every SUBSCRIBE.
    if (qos == 2 && !retainFlag && liveQos2Deliveries.merge(messageId, 1, Integer::sum) > 1) {
      duplicates.add(messageId);
    }
    return true;
  }

  synchronized void released(int packetId) {
    unreleasedQos2.remove(packetId);
  }

  synchronized boolean hasReceived(String messageId) {
    return received.contains(messageId);
  }

  synchronized List<String> duplicates() {
    return List.copyOf(duplicates);
  }
}
