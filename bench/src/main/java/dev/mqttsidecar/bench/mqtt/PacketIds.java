package dev.mqttsidecar.bench.mqtt;

/**
 * Packet identifiers 1..65535 for one connection, handed out in order and skipping ids still in
 * flight. Used on the connection's event loop only.
 */
public final class PacketIds {
  private final boolean[] inUse = new boolean[65536];
  private int next = 1;
  private int used;

  /** A free id, or 0 if all 65535 are in flight. */
  public int acquire() {
    if (used == 65535) {
      return 0;
    }
    while (inUse[next]) {
      next = next == 65535 ? 1 : next + 1;
    }
    int id = next;
    inUse[id] = true;
    used++;
    next = next == 65535 ? 1 : next + 1;
    return id;
  }

  /** Frees an id; returns false if it was not in flight (an unexpected or duplicate ack). */
  public boolean release(int id) {
    if (id < 1 || id > 65535 || !inUse[id]) {
      return false;
    }
    inUse[id] = false;
    used--;
    return true;
  }

  public int inFlight() {
    return used;
  }
}
