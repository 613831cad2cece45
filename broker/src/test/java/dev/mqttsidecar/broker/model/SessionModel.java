package dev.mqttsidecar.broker.model;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The reference model: the MQTT rules that decide which acknowledged messages a session must still
 * receive. It follows the steps as the broker should see them and keeps, per session, the messages
 * it owes ({@link #owed}) and, for the one shared subscription, the messages its group owes.
 *
 * <p>Where the rules leave a choice to the server, the model asks for nothing: QoS 0, messages that
 * expire within a run, messages buffered for a filter that was unsubscribed (5.0 section 3.10.4
 * lets the server drop them), and a session whose short Session Expiry may or may not have run out
 * (the next CONNACK tells; see {@link #expectedSessionPresent}).
 */
final class SessionModel {
  /** A message as published: {@code origin} is the publishing client id. */
  record Message(String id, String topic, int qos, Integer expiry, String origin) {
    boolean expiresWithinRun() {
      return expiry != null && expiry == Step.SHORT_EXPIRY;
    }
  }

  private record Subscription(int qos, boolean noLocal) {}

  private static final class Session {
    final Map<String, Subscription> subscriptions = new HashMap<>();
    final Set<String> owed = new LinkedHashSet<>();
    boolean member; // of the shared subscription group
    boolean online = true;
    boolean mqtt5;
    int expiry; // seconds; NEVER for a 3.1.1 persistent session
    boolean mayHaveExpired; // offline with a short expiry
  }

  private static final int NEVER = -1;

  private final Map<Integer, Session> sessions = new HashMap<>();
  private final Map<String, Message> retained = new HashMap<>();
  private final Map<String, Message> messages = new HashMap<>();
  private final Set<String> groupOwed = new LinkedHashSet<>();

  /** The Session Present flag a CONNECT must get; null when either is right. */
  Boolean expectedSessionPresent(int client, boolean cleanStart) {
    Session s = sessions.get(client);
    if (cleanStart || s == null) {
      return false;
    }
    // A session that ends with its connection, taken over by a new one: the server may end it or
    // hand it on.
    boolean takeoverOfEndingSession = s.online && s.expiry == 0;
    return s.mayHaveExpired || takeoverOfEndingSession ? null : true;
  }

  /**
   * A CONNECT was accepted with {@code present}; returns whether the client starts a new session
   * (and must forget its old session state).
   */
  boolean connected(
      int client, boolean mqtt5, boolean cleanStart, Integer expiry, boolean present) {
    boolean fresh = cleanStart || !present;
    if (fresh) {
      end(client);
      sessions.put(client, new Session());
    }
    Session s = sessions.get(client);
    s.online = true;
    s.mayHaveExpired = false;
    s.mqtt5 = mqtt5;
    s.expiry = mqtt5 ? (expiry == null ? 0 : expiry) : (cleanStart ? 0 : NEVER);
    return fresh;
  }

  /**
   * The client's connection closed; {@code newExpiry} is the Session Expiry Interval its 5.0
   * DISCONNECT set, or null.
   */
  void wentOffline(int client, Integer newExpiry) {
    Session s = sessions.get(client);
    s.online = false;
    if (newExpiry != null) {
      s.expiry = newExpiry;
    }
    if (s.expiry == 0) {
      end(client);
    } else if (s.expiry == Step.SHORT_EXPIRY) {
      s.mayHaveExpired = true;
      checkGroup();
    }
  }

  /** More than {@link Step#SHORT_EXPIRY} passed: offline sessions with that expiry are gone. */
  void waited() {
    for (int client : Set.copyOf(sessions.keySet())) {
      if (sessions.get(client).mayHaveExpired) {
        end(client);
      }
    }
  }

  /** The broker restarted; a memory-only broker forgets everything. */
  void restarted(boolean memoryOnly) {
    if (memoryOnly) {
      sessions.clear();
      retained.clear();
      groupOwed.clear();
      return;
    }
    for (int client : Set.copyOf(sessions.keySet())) {
      if (sessions.get(client).online) {
        wentOffline(client, null);
      }
    }
  }

  void subscribed(int client, String filter, int qos, boolean noLocal) {
    Session s = sessions.get(client);
    if (filter.equals(Step.SHARED_FILTER)) {
      s.member = true; // retained messages are not sent to shared subscriptions [MQTT-4.8.2-6]
      return;
    }
    s.subscriptions.put(filter, new Subscription(qos, noLocal));
    for (Message m : retained.values()) {
      boolean excluded = noLocal && m.origin().equals(Step.clientId(client));
      if (matches(filter, m.topic())
          && Math.min(qos, m.qos()) > 0
          && !m.expiresWithinRun()
          && !excluded) {
        s.owed.add(m.id()); // retained messages on subscribe [MQTT-3.3.1-6]
      }
    }
  }

  void unsubscribed(int client, String filter) {
    Session s = sessions.get(client);
    if (filter.equals(Step.SHARED_FILTER)) {
      s.member = false;
      checkGroup();
      return;
    }
    s.subscriptions.remove(filter);
    s.owed.removeIf(id -> matches(filter, messages.get(id).topic()));
  }

  /** A message was published and acknowledged to its publisher (or sent at QoS 0). */
  void published(Message m, boolean retain) {
    messages.put(m.id(), m);
    if (retain) {
      retained.put(m.topic(), m);
    }
    if (m.qos() == 0 || m.expiresWithinRun()) {
      return;
    }
    if (m.topic().equals(Step.GROUP_TOPIC)) {
      boolean certainMember =
          sessions.values().stream().anyMatch(s -> s.member && !s.mayHaveExpired);
      if (certainMember) {
        groupOwed.add(m.id()); // whichever member gets it [MQTT-4.8.2]
      }
      return;
    }
    sessions.forEach(
        (client, s) -> {
          int qos = -1;
          for (Map.Entry<String, Subscription> e : s.subscriptions.entrySet()) {
            Subscription sub = e.getValue();
            boolean local = sub.noLocal() && m.origin().equals(Step.clientId(client));
            if (!local && matches(e.getKey(), m.topic())) {
              qos = Math.max(qos, sub.qos()); // overlapping subscriptions [MQTT-3.3.4-2]
            }
          }
          if (Math.min(qos, m.qos()) > 0) {
            s.owed.add(m.id());
          }
        });
  }

  boolean hasSession(int client) {
    return sessions.containsKey(client);
  }

  boolean isOnline(int client) {
    Session s = sessions.get(client);
    return s != null && s.online;
  }

  boolean isMqtt5(int client) {
    return sessions.get(client).mqtt5;
  }

  /** The Session Expiry the session was connected with: 0 means it ends with the connection. */
  boolean endsWithConnection(int client) {
    return sessions.get(client).expiry == 0;
  }

  /** The messages session {@code client} still owes its client. */
  Set<String> owed(int client) {
    Session s = sessions.get(client);
    return s == null ? Set.of() : Set.copyOf(s.owed);
  }

  Set<String> groupOwed() {
    return Set.copyOf(groupOwed);
  }

  /**
   * Topic filter matching, written apart from the broker's on purpose [MQTT-4.7]: {@code +} is one
   * level, a trailing {@code #} is the parent level and everything below it.
   */
  static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }

  private void end(int client) {
    if (sessions.remove(client) != null) {
      checkGroup();
    }
  }

  /** A group that may have had no member at some point owes nothing from before. */
  private void checkGroup() {
    if (sessions.values().stream().noneMatch(s -> s.member && !s.mayHaveExpired)) {
      groupOwed.clear();
    }
  }
}
