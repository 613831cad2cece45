package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Glob;
import dev.mqttsidecar.broker.PersistentSessionLimit;
import dev.mqttsidecar.broker.logging.ThrottledLog;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Counts the MQTT client sessions that outlive their connection, in total and per client id
 * pattern, and refuses a new one over a limit. A client id holds at most one slot: resuming or
 * replacing its own persistent session needs no new one, so it is never refused. In-process (Dapr)
 * subscriber sessions never take a slot: the sidecar opens them for its own apps. Refusals are
 * counted and logged at most once per {@link ThrottledLog#REFUSALS}.
 */
public final class PersistentSessionQuota {
  private final int maxTotal;
  private final List<PersistentSessionLimit> limits;
  private final List<Glob> patterns;
  private final int[] perLimit;
  private final Set<String> holders = new HashSet<>();
  private final ThrottledLog log =
      new ThrottledLog(
          LoggerFactory.getLogger(PersistentSessionQuota.class), ThrottledLog.REFUSALS);
  private long refused;

  public PersistentSessionQuota(int maxTotal, List<PersistentSessionLimit> limits) {
    this.maxTotal = maxTotal;
    this.limits = List.copyOf(limits);
    this.patterns = this.limits.stream().map(l -> new Glob(l.clientIdPattern())).toList();
    this.perLimit = new int[this.limits.size()];
  }

  /** No limits. */
  public static PersistentSessionQuota unlimited() {
    return new PersistentSessionQuota(Integer.MAX_VALUE, List.of());
  }

  /**
   * Takes a slot for {@code clientId} unless it holds one already.
   *
   * @return null when it holds a slot now, else the limit that refused it (the refusal is counted)
   */
  String admit(String clientId) {
    String why;
    synchronized (this) {
      if (holders.contains(clientId)) {
        return null;
      }
      why = limitReached(clientId);
      if (why == null) {
        take(clientId);
        return null;
      }
      refused++;
    }
    log.warn(
        "persistent session for client '" + ThrottledLog.shown(clientId) + "' refused: " + why);
    return why;
  }

  private String limitReached(String clientId) {
    if (holders.size() >= maxTotal) {
      return "maxPersistentSessions (" + maxTotal + ") reached";
    }
    for (int i = 0; i < limits.size(); i++) {
      PersistentSessionLimit limit = limits.get(i);
      if (perLimit[i] >= limit.max() && patterns.get(i).matches(clientId)) {
        return "the limit of client ids '"
            + limit.clientIdPattern()
            + "' ("
            + limit.max()
            + ") reached";
      }
    }
    return null;
  }

  synchronized boolean holds(String clientId) {
    return holders.contains(clientId);
  }

  /** A restored session takes its slot whatever the limits say now. */
  synchronized void restored(String clientId) {
    if (!holders.contains(clientId)) {
      take(clientId);
    }
  }

  /** {@code clientId}'s session ended or no longer outlives its connection. */
  synchronized void release(String clientId) {
    if (holders.remove(clientId)) {
      count(clientId, -1);
    }
  }

  private void take(String clientId) {
    holders.add(clientId);
    count(clientId, 1);
  }

  private void count(String clientId, int delta) {
    for (int i = 0; i < limits.size(); i++) {
      if (patterns.get(i).matches(clientId)) {
        perLimit[i] += delta;
      }
    }
  }

  /** Persistent sessions counted now. */
  public synchronized int count() {
    return holders.size();
  }

  /** CONNECTs refused for a limit. */
  public synchronized long refused() {
    return refused;
  }
}
