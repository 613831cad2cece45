package dev.mqttsidecar.component.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a crash test wrote: for each key (state key or retained topic), written by one writer with
 * increasing sequence numbers, the last sequence acknowledged and the last one attempted. After a
 * crash the stored value must lie between the two: below the acknowledged one is a lost write;
 * above the attempted one cannot happen; in between is a write that was on its way when the process
 * died (stored, never acknowledged), which is allowed.
 */
public final class WriteLedger {
  private static final class Entry {
    volatile long acked;
    volatile long attempted;
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private long acknowledgedWrites; // guarded by this

  private Entry entry(String key) {
    return entries.computeIfAbsent(key, k -> new Entry());
  }

  /** The next sequence number for {@code key}, recorded as attempted. Single writer per key. */
  public long attempt(String key) {
    Entry e = entry(key);
    e.attempted = e.attempted + 1;
    return e.attempted;
  }

  /** Records that the write of {@code seq} to {@code key} was acknowledged. */
  public void acked(String key, long seq) {
    entry(key).acked = seq;
    synchronized (this) {
      acknowledgedWrites++;
    }
  }

  public synchronized long acknowledgedWrites() {
    return acknowledgedWrites;
  }

  /** Keys with at least one attempted write. */
  public Map<String, long[]> snapshot() {
    Map<String, long[]> out = new TreeMap<>();
    entries.forEach((k, e) -> out.put(k, new long[] {e.acked, e.attempted}));
    return out;
  }

  /** Null if {@code stored} (0 for absent) is acceptable for {@code key}, else what is wrong. */
  public String check(String key, long stored) {
    Entry e = entries.get(key);
    long acked = e == null ? 0 : e.acked;
    long attempted = e == null ? 0 : e.attempted;
    if (stored < acked) {
      return key + ": stored " + stored + " but " + acked + " was acknowledged (lost)";
    }
    if (stored > attempted) {
      return key + ": stored " + stored + " but only " + attempted + " was ever written";
    }
    return null;
  }
}
