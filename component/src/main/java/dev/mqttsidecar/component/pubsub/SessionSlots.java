package dev.mqttsidecar.component.pubsub;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Broker session ids for the streams of one consumer group. A durable group needs sessions with an
 * expiry, and the broker keeps such a session after its stream closes; reusing the ids of closed
 * streams keeps the number of sessions at the most streams ever open at once per topic, instead of
 * one more per reconnect.
 */
final class SessionSlots {
  private final String group;
  private final Map<String, BitSet> used = new HashMap<>();

  SessionSlots(String group) {
    this.group = group;
  }

  /** A session id not held by another open stream of this group and topic. */
  synchronized String acquire(String topic) {
    BitSet slots = used.computeIfAbsent(topic, t -> new BitSet());
    int slot = slots.nextClearBit(0);
    slots.set(slot);
    return sessionId(topic, slot);
  }

  /** Returns a session id from {@link #acquire}. */
  synchronized void release(String topic, String sessionId) {
    BitSet slots = used.get(topic);
    if (slots == null) {
      return;
    }
    int slot = Integer.parseInt(sessionId.substring(sessionId.lastIndexOf('#') + 1));
    slots.clear(slot);
    if (slots.isEmpty()) {
      used.remove(topic);
    }
  }

  private String sessionId(String topic, int slot) {
    return "dapr/" + group + "/" + topic + "#" + slot;
  }
}
