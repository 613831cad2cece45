package dev.mqttsidecar.broker.session;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * All live sessions by key, and the quota of MQTT client sessions that outlive their connection.
 */
public final class SessionRegistry {
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private final PersistentSessionQuota quota;

  /** A registry without a persistent session quota. */
  public SessionRegistry() {
    this(PersistentSessionQuota.unlimited());
  }

  public SessionRegistry(PersistentSessionQuota quota) {
    this.quota = quota;
  }

  /**
   * The result of {@link #open}: the session, whether it existed before [MQTT-3.2.2-2], and when
   * the session it replaced (if any) has ended.
   */
  public record Opened(Session session, boolean present, CompletableFuture<Void> replacedEnded) {}

  /**
   * Returns the session for {@code key}, creating it if absent or if {@code cleanStart}; a replaced
   * session is ended and its outbound taken over [MQTT-3.1.2-4]. For in-process sessions and
   * restored ones: the persistent session quota is not consulted.
   */
  public Opened open(String key, boolean cleanStart, Function<String, Session> factory) {
    return open(key, cleanStart, false, factory);
  }

  /**
   * {@link #open} for an MQTT client that {@link #admitPersistent} admitted if {@code persistent};
   * a session that ends with its connection replacing a persistent one gives its slot back.
   */
  public Opened openClient(
      String clientId, boolean cleanStart, boolean persistent, Function<String, Session> factory) {
    return open(clientId, cleanStart, !persistent, factory);
  }

  private Opened open(
      String key, boolean cleanStart, boolean releaseOnReplace, Function<String, Session> factory) {
    boolean[] present = new boolean[1];
    Session[] replaced = new Session[1];
    Session s =
        sessions.compute(
            key,
            (k, existing) -> {
              if (existing != null && !existing.isEnded() && !cleanStart) {
                present[0] = true;
                return existing;
              }
              if (releaseOnReplace) {
                quota.release(k);
              }
              replaced[0] = existing;
              return factory.apply(k);
            });
    CompletableFuture<Void> replacedEnded = CompletableFuture.completedFuture(null);
    if (replaced[0] != null) {
      // Before the new session is handed out, so its first write follows this delete.
      replaced[0].stored().forget();
      replacedEnded = replaced[0].endAndTakeOver();
    }
    return new Opened(s, present[0], replacedEnded);
  }

  /**
   * Takes a persistent session slot for an MQTT client about to open (or resume) a session that
   * outlives its connection; a client id that holds one already keeps it.
   *
   * @return null if admitted, else the limit that refuses it
   */
  public String admitPersistent(String clientId) {
    return quota.admit(clientId);
  }

  /** Whether {@code clientId} holds a persistent session's slot now. */
  public boolean holdsPersistentSlot(String clientId) {
    return quota.holds(clientId);
  }

  /** Gives back a slot {@link #admitPersistent} took for a CONNECT that was refused after it. */
  public void releasePersistentSlot(String clientId) {
    quota.release(clientId);
  }

  /** A persistent MQTT client session brought back from the store holds its slot. */
  public void restoredPersistent(String clientId) {
    quota.restored(clientId);
  }

  public Session get(String key) {
    return sessions.get(key);
  }

  /** Removes {@code session} if it is still the one registered under its key. */
  public void remove(Session session) {
    if (sessions.remove(session.key(), session)) {
      quota.release(session.key());
    }
  }

  public Collection<Session> all() {
    return sessions.values();
  }

  public int size() {
    return sessions.size();
  }

  /** The persistent session counts and refusals. */
  public PersistentSessionQuota quota() {
    return quota;
  }
}
