package dev.mqttsidecar.broker.session;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** All live sessions by key. */
public final class SessionRegistry {
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

  /** The result of {@link #open}: the session and whether it existed before [MQTT-3.2.2-2]. */
  public record Opened(Session session, boolean present) {}

  /**
   * Returns the session for {@code key}, creating it if absent or if {@code cleanStart}; a replaced
   * session is ended and its outbound taken over [MQTT-3.1.2-4].
   */
  public Opened open(String key, boolean cleanStart, Function<String, Session> factory) {
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
              replaced[0] = existing;
              return factory.apply(k);
            });
    if (replaced[0] != null) {
      // Before the new session is handed out, so its first write follows this delete.
      replaced[0].stored().forget();
      replaced[0].endAndTakeOver();
    }
    return new Opened(s, present[0]);
  }

  public Session get(String key) {
    return sessions.get(key);
  }

  /** Removes {@code session} if it is still the one registered under its key. */
  public void remove(Session session) {
    sessions.remove(session.key(), session);
  }

  public Collection<Session> all() {
    return sessions.values();
  }

  public int size() {
    return sessions.size();
  }
}
