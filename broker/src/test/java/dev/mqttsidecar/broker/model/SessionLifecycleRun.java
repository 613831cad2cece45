package dev.mqttsidecar.broker.model;

import static dev.mqttsidecar.broker.model.Step.clientId;

import dev.mqttsidecar.broker.model.Step.Connect;
import dev.mqttsidecar.broker.model.Step.Crash;
import dev.mqttsidecar.broker.model.Step.Disconnect;
import dev.mqttsidecar.broker.model.Step.Drop;
import dev.mqttsidecar.broker.model.Step.Publish;
import dev.mqttsidecar.broker.model.Step.Subscribe;
import dev.mqttsidecar.broker.model.Step.Unsubscribe;
import dev.mqttsidecar.broker.model.Step.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.statistics.Statistics;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one sequence of steps against a real broker over real MQTT connections while the {@link
 * SessionModel} follows along, then brings every session's client back and waits until each message
 * the model says is owed has arrived. A message that never arrives, a QoS 2 message handed to the
 * application twice, or a CONNACK whose Session Present contradicts the model fails the run.
 */
public final class SessionLifecycleRun {
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final AtomicLong SEQUENCES = new AtomicLong();
  private static final AtomicLong STEPS = new AtomicLong();
  private static final AtomicLong MESSAGES = new AtomicLong();
  private static final AtomicLong RESTARTS = new AtomicLong();

  private final BrokerUnderTest broker;
  private final SessionModel model = new SessionModel();
  private final ModelConnection[] connections = new ModelConnection[Step.CLIENTS];
  private final ClientSession[] sessions = new ClientSession[Step.CLIENTS];
  private final List<ClientSession> everySession = new ArrayList<>();
  private final Set<String> groupReceived = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> disconnects = new ConcurrentHashMap<>();
  private final List<String> done = new ArrayList<>();
  private ModelConnection publisher; // for steps whose client is offline
  private ModelConnection monitor; // sees the broker's disconnect events
  private int nextMessage;

  public SessionLifecycleRun(BrokerUnderTest broker) {
    this.broker = broker;
  }

  /** Totals over every run in this JVM, for the report of a test class. */
  public static String totals() {
    return String.format(
        "session model: %d sequences, %d steps, %d messages published, %d restarts or crashes",
        SEQUENCES.get(), STEPS.get(), MESSAGES.get(), RESTARTS.get());
  }

  public void run(List<Step> steps) throws Exception {
    SEQUENCES.incrementAndGet();
    try {
      for (Step step : steps) {
        String outcome = execute(step);
        done.add(step + (outcome.isEmpty() ? "" : " -> " + outcome));
        STEPS.incrementAndGet();
      }
      settle();
    } finally {
      closeAll();
    }
  }

  private String execute(Step step) throws Exception {
    if (step instanceof Connect c) {
      return connect(c.client(), c.mqtt5(), c.cleanStart(), c.sessionExpiry());
    } else if (step instanceof Disconnect d) {
      return disconnect(d.client(), d.newSessionExpiry());
    } else if (step instanceof Drop d) {
      return drop(d.client());
    } else if (step instanceof Subscribe s) {
      return subscribe(s);
    } else if (step instanceof Unsubscribe u) {
      return unsubscribe(u);
    } else if (step instanceof Publish p) {
      return publish(p);
    } else if (step instanceof Wait) {
      // Time must pass: an offline session with a short expiry runs out meanwhile.
      Thread.sleep(Step.SHORT_EXPIRY * 1000L + 1000);
      model.waited();
      return "";
    }
    return restart(step instanceof Crash);
  }

  private String connect(int client, boolean mqtt5, boolean cleanStart, Integer expiry)
      throws Exception {
    Boolean expected = model.expectedSessionPresent(client, cleanStart);
    ModelConnection old = connections[client];
    if (old != null) {
      situation("takeover");
    } else if (Boolean.TRUE.equals(expected) && !model.owed(client).isEmpty()) {
      boolean endsWithConnection = mqtt5 && (expiry == null || expiry == 0);
      situation(
          endsWithConnection
              ? "resume with queued messages and expiry 0"
              : "resume with queued messages");
    }
    ModelConnection c =
        ModelConnection.open(broker.port(), clientId(client), mqtt5, cleanStart, expiry);
    connections[client] = c;
    if (old != null && !old.awaitClosed(CLOSE_WAIT)) {
      fail("the broker did not close " + clientId(client) + "'s connection on takeover");
    }
    if (expected != null && expected != c.sessionPresent) {
      fail("CONNACK Session Present " + c.sessionPresent + ", expected " + expected);
    }
    if (model.connected(client, mqtt5, cleanStart, expiry, c.sessionPresent)) {
      sessions[client] = new ClientSession();
      everySession.add(sessions[client]);
    }
    c.startReading(clientId(client), sessions[client], this::delivered);
    return "session present " + c.sessionPresent;
  }

  private void delivered(String topic, String messageId) {
    if (topic.equals(Step.GROUP_TOPIC)) {
      groupReceived.add(messageId);
    }
  }

  private String disconnect(int client, Integer newSessionExpiry) throws Exception {
    ModelConnection c = connections[client];
    if (c == null) {
      return "offline";
    }
    // 5.0: a DISCONNECT may not give a session that ends with its connection an expiry
    // [MQTT-3.14.2-2]; 3.1.1 has no properties.
    Integer newExpiry = newSessionExpiry;
    if (!model.isMqtt5(client) || (model.endsWithConnection(client) && newExpiry != null)) {
      newExpiry = null;
    }
    long before = disconnects(client).get();
    c.disconnect(newExpiry);
    connections[client] = null;
    awaitGone(client, before);
    model.wentOffline(client, newExpiry);
    return newExpiry == null ? "" : "session expiry " + newExpiry;
  }

  private String drop(int client) throws Exception {
    ModelConnection c = connections[client];
    if (c == null) {
      return "offline";
    }
    long before = disconnects(client).get();
    c.close();
    connections[client] = null;
    awaitGone(client, before);
    model.wentOffline(client, null);
    return "";
  }

  /** Waits until the broker has published the client's disconnect event: it saw the close. */
  private void awaitGone(int client, long before) {
    Awaitility.await()
        .atMost(CLOSE_WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> disconnects(client).get() > before);
  }

  private AtomicLong disconnects(int client) {
    monitor();
    return disconnects.computeIfAbsent(clientId(client), k -> new AtomicLong());
  }

  private String subscribe(Subscribe s) throws Exception {
    ModelConnection c = online(s.client());
    boolean noLocal = s.noLocal() && model.isMqtt5(s.client()); // 5.0 only
    int granted = c.subscribe(s.filter(), s.qos(), noLocal);
    if (granted != s.qos()) {
      fail("SUBACK " + granted + " for " + s);
    }
    model.subscribed(s.client(), s.filter(), s.qos(), noLocal);
    return "";
  }

  private String unsubscribe(Unsubscribe u) throws Exception {
    ModelConnection c = online(u.client());
    c.unsubscribe(u.filter());
    model.unsubscribed(u.client(), u.filter());
    return "";
  }

  /** The client's connection; an offline client first resumes (or starts) a one-hour session. */
  private ModelConnection online(int client) throws Exception {
    if (connections[client] == null) {
      boolean mqtt5 = !model.hasSession(client) || model.isMqtt5(client);
      String outcome = connect(client, mqtt5, false, Step.LONG_EXPIRY);
      done.add("(comes back) connect " + clientId(client) + " -> " + outcome);
    }
    return connections[client];
  }

  private String publish(Publish p) throws Exception {
    ModelConnection c = connections[p.client()];
    String origin = clientId(p.client());
    boolean mqtt5 = c != null && model.isMqtt5(p.client());
    if (c == null) {
      c = publisher();
      origin = "pub";
      mqtt5 = true;
    }
    Integer expiry = mqtt5 ? p.messageExpiry() : null; // 3.1.1 has no message expiry
    String first = "m" + (nextMessage + 1);
    for (int i = 0; i < p.count(); i++) {
      String id = "m" + ++nextMessage;
      c.publish(p.topic(), p.qos(), p.retain(), expiry, id);
      MESSAGES.incrementAndGet();
      model.published(new SessionModel.Message(id, p.topic(), p.qos(), expiry, origin), p.retain());
    }
    return (p.count() == 1 ? first : first + "..m" + nextMessage) + " from " + origin;
  }

  /** Counts what a run went through, reported by jqwik per property. */
  private static void situation(String name) {
    Statistics.label("situations").collect(name);
  }

  private String restart(boolean crash) throws Exception {
    if (!model.groupOwed().isEmpty() || anyOwed()) {
      situation(crash ? "crash with queued messages" : "restart with queued messages");
    }
    if (crash) {
      broker.crash();
    } else {
      broker.restart();
    }
    RESTARTS.incrementAndGet();
    closeAll();
    model.restarted(broker.memoryOnly());
    return "";
  }

  /**
   * Brings back every client that has a session and waits for everything owed. A 5.0 client comes
   * back without a Session Expiry Interval, as many libraries do after their first CONNECT: the
   * session then ends with this connection, yet everything queued must still arrive on it.
   */
  private void settle() throws Exception {
    for (int client = 0; client < Step.CLIENTS; client++) {
      if (model.hasSession(client) && !model.isOnline(client)) {
        boolean mqtt5 = model.isMqtt5(client);
        String outcome = connect(client, mqtt5, false, mqtt5 ? null : Step.LONG_EXPIRY);
        done.add("(settle) connect " + clientId(client) + " -> " + outcome);
      }
    }
    try {
      Awaitility.await()
          .atMost(SETTLE)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> missing().isEmpty());
    } catch (ConditionTimeoutException e) {
      fail("acknowledged messages never arrived: " + missing());
    }
    for (ClientSession s : everySession) {
      if (!s.duplicates().isEmpty()) {
        fail("QoS 2 messages delivered twice in one session: " + s.duplicates());
      }
    }
  }

  private boolean anyOwed() {
    for (int client = 0; client < Step.CLIENTS; client++) {
      if (!model.owed(client).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private Map<String, Set<String>> missing() {
    Map<String, Set<String>> missing = new LinkedHashMap<>();
    for (int client = 0; client < Step.CLIENTS; client++) {
      ClientSession s = sessions[client];
      Set<String> owed =
          model.owed(client).stream()
              .filter(id -> !s.hasReceived(id))
              .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
      if (!owed.isEmpty()) {
        missing.put(clientId(client), owed);
      }
    }
    Set<String> group = new java.util.TreeSet<>(model.groupOwed());
    group.removeAll(groupReceived);
    if (!group.isEmpty()) {
      missing.put("group", group);
    }
    return missing;
  }

  private ModelConnection publisher() throws Exception {
    if (publisher == null) {
      publisher = ModelConnection.open(broker.port(), "pub", true, true, null);
      publisher.startReading("pub", new ClientSession(), (t, m) -> {});
    }
    return publisher;
  }

  private void monitor() {
    if (monitor != null) {
      return;
    }
    try {
      monitor = ModelConnection.open(broker.port(), "monitor", true, true, null);
      monitor.startReading(
          "monitor",
          new ClientSession(),
          (topic, event) -> {
            // $events/clients/<id>/disconnected
            String id = topic.split("/")[2];
            disconnects.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
          });
      monitor.subscribe("$events/clients/+/disconnected", 0, false);
    } catch (Exception e) {
      throw new IllegalStateException("monitor connection failed", e);
    }
  }

  private void closeAll() {
    for (int i = 0; i < connections.length; i++) {
      if (connections[i] != null) {
        connections[i].close();
        connections[i] = null;
      }
    }
    for (ModelConnection c : new ModelConnection[] {publisher, monitor}) {
      if (c != null) {
        c.close();
      }
    }
    publisher = null;
    monitor = null;
  }

  private void fail(String what) {
    throw new AssertionError(what + "\nsteps run:\n  " + String.join("\n  ", done));
  }
}
