package dev.mqttsidecar.broker.session;

import java.util.Map;

/** Allocates non-zero 16-bit packet identifiers not currently in use [MQTT-2.2.1-3]. */
final class PacketIds {
  private int next = 1;

  /** The next id not in {@code inUse}; the caller keeps fewer than 65535 in flight. */
  int next(Map<Integer, ?> inUse) {
    for (int i = 0; i < 65535; i++) {
      int id = next;
      next = next == 65535 ? 1 : next + 1;
      if (!inUse.containsKey(id)) {
        return id;
      }
    }
    throw new IllegalStateException("all packet identifiers in use");
  }
}
