package dev.mqttsidecar.component;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import dev.mqttsidecar.component.testing.WriteLedger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar process killed with {@code kill -9} at random moments while Dapr state writes (single
 * keys and two-key transactions), retained MQTT publishes and publishes to a persistent subscriber
 * at QoS 1 and 2 are under way, then restarted on the same data directory: every acknowledged write
 * must be there, with its last acknowledged value (or a later one that was on its way when the
 * process died), and every acknowledged message must reach the persistent subscriber. Duplicates (a
 * message delivered again after a restart) are allowed and counted. CI runs 12 rounds; {@code
 * -Dcrash.rounds=N} runs more.
 */
class CrashRecoveryIT {
  private static final int ROUNDS = Integer.getInteger("crash.rounds", 12);
  private static final String STORE = "mqtt-state";
  private static final int STATE_WRITERS = 3;
  private static final long CALL_DEADLINE_SECONDS = 5;

  @TempDir Path folder;

  private final WriteLedger ledger = new WriteLedger();
  private final Set<String> ackedMessages = ConcurrentHashMap.newKeySet();
  private final Set<String> receivedMessages = ConcurrentHashMap.newKeySet();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong messageSeq = new AtomicLong();

  @Test
  void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path data = folder.resolve("data");
    ComponentYaml yaml = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    long started = System.nanoTime();
    for (int round = 0; round <= ROUNDS; round++) {
      try (SidecarProcess sidecar =
              SidecarProcess.start(folder, "crash", "--data-dir", data.toString());
          FakeDaprd daprd = new FakeDaprd(folder.resolve("crash.sock"))) {
        daprd.initState(yaml);
        int port = sidecar.mqttPort();
        Mqtt5AsyncClient sink = connectSink(port, round == 0);
        List<String> problems = new ArrayList<>(undelivered());
        problems.addAll(checkState(daprd));
        problems.addAll(checkRetained(port));
        assertThat(problems).as("round %d (seed %d)", round, seed).isEmpty();
        if (round == ROUNDS) {
          break; // the last start only checks
        }
        if (round % 2 == 1) {
          // Offline during the load: messages wait in the session's stored queue, not in flight.
          sink.disconnect().get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
        runLoadAndKill(sidecar, daprd, port, 200 + random.nextInt(1000));
      }
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    System.out.printf(
        "crash test: %d kill -9 rounds in %d s; %d acknowledged state/retained writes, 0 lost;"
            + " %d acknowledged QoS 1/2 messages to a persistent subscriber, 0 lost,"
            + " %d duplicates (seed %d)%n",
        ROUNDS, seconds, ledger.acknowledgedWrites(), ackedMessages.size(), duplicates.get(), seed);
    assertThat(ledger.acknowledgedWrites()).isGreaterThan(ROUNDS);
    assertThat(ackedMessages.size()).isGreaterThan(ROUNDS);
  }

  /**
   * The persistent subscriber: a 5.0 session that outlives its connection, subscribed once (in the
   * first round); later rounds only reconnect, so the subscription itself must survive.
   */
  private Mqtt5AsyncClient connectSink(int port, boolean subscribe) throws Exception {
    Mqtt5AsyncClient sink =
        Mqtt5Client.builder()
            .identifier("sink")
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    sink.publishes(
        MqttGlobalPublishFilter.ALL,
        p -> {
          String id = new String(p.getPayloadAsBytes(), UTF_8);
          if (!receivedMessages.add(id)) {
            duplicates.incrementAndGet();
          }
        });
    Mqtt5ConnAck connAck =
        sink.connectWith()
            .cleanStart(false)
            .sessionExpiryInterval(3600)
            .send()
            .get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    if (subscribe) {
      sink.subscribeWith()
          .topicFilter("flow/#")
          .qos(MqttQos.EXACTLY_ONCE)
          .send()
          .get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    } else {
      assertThat(connAck.isSessionPresent()).as("sink session present after restart").isTrue();
    }
    return sink;
  }

  /** Acknowledged messages the subscriber has not received within a grace period. */
  private List<String> undelivered() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!receivedMessages.containsAll(ackedMessages) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Set<String> lost = new TreeSet<>(ackedMessages);
    lost.removeAll(receivedMessages);
    return lost.stream().map(id -> id + ": acknowledged, never delivered").limit(20).toList();
  }

  /** Publishes distinct messages (not retained) that only the persistent subscriber receives. */
  private void flowWriter(
      Mqtt5BlockingClient client, String topic, MqttQos qos, AtomicBoolean running) {
    while (running.get()) {
      String id = topic + ":" + messageSeq.incrementAndGet();
      try {
        Mqtt5PublishResult result =
            client.publishWith().topic(topic).payload(id.getBytes(UTF_8)).qos(qos).send();
        if (result.getError().isPresent() || !accepted(result)) {
          return;
        }
      } catch (RuntimeException e) {
        return;
      }
      ackedMessages.add(id);
    }
  }

  private void runLoadAndKill(SidecarProcess sidecar, FakeDaprd daprd, int port, int loadMillis)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      for (int i = 0; i < STATE_WRITERS; i++) {
        String key = "crash||k" + i;
        pool.execute(() -> stateWriter(daprd, key, running));
      }
      pool.execute(() -> transactionWriter(daprd, running));
      Mqtt5BlockingClient qos1 = connect(port, "pub-qos1");
      Mqtt5BlockingClient qos2 = connect(port, "pub-qos2");
      pool.execute(() -> mqttWriter(qos1, "crash/qos1", MqttQos.AT_LEAST_ONCE, running));
      pool.execute(() -> mqttWriter(qos2, "crash/qos2", MqttQos.EXACTLY_ONCE, running));
      Mqtt5BlockingClient flow1 = connect(port, "flow-qos1");
      Mqtt5BlockingClient flow2 = connect(port, "flow-qos2");
      pool.execute(() -> flowWriter(flow1, "flow/qos1", MqttQos.AT_LEAST_ONCE, running));
      pool.execute(() -> flowWriter(flow2, "flow/qos2", MqttQos.EXACTLY_ONCE, running));
      Thread.sleep(loadMillis);
      sidecar.kill();
      running.set(false);
      pool.shutdown();
      assertThat(pool.awaitTermination(3 * CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
  }

  private static Mqtt5BlockingClient connect(int port, String id) {
    Mqtt5BlockingClient c =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    c.connect();
    return c;
  }

  private static State.SetRequest set(String key, long seq) {
    return State.SetRequest.newBuilder()
        .setKey(key)
        .setValue(ByteString.copyFromUtf8(Long.toString(seq)))
        .build();
  }

  /** Sets one key to 1, 2, 3, ... until the process dies. */
  private void stateWriter(FakeDaprd daprd, String key, AtomicBoolean running) {
    while (running.get()) {
      long seq = ledger.attempt(key);
      try {
        daprd
            .state(STORE)
            .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
            .set(set(key, seq));
      } catch (RuntimeException e) {
        return; // the process is gone (or refused): this write was never acknowledged
      }
      ledger.acked(key, seq);
    }
  }

  /** Sets two keys to the same value in one transaction: after a crash they must agree. */
  private void transactionWriter(FakeDaprd daprd, AtomicBoolean running) {
    while (running.get()) {
      long seq = ledger.attempt("crash||ta");
      ledger.attempt("crash||tb");
      State.TransactionalStateRequest.Builder tx = State.TransactionalStateRequest.newBuilder();
      for (String key : List.of("crash||ta", "crash||tb")) {
        tx.addOperations(State.TransactionalStateOperation.newBuilder().setSet(set(key, seq)));
      }
      try {
        daprd
            .transactions(STORE)
            .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
            .transact(tx.build());
      } catch (RuntimeException e) {
        return;
      }
      ledger.acked("crash||ta", seq);
      ledger.acked("crash||tb", seq);
    }
  }

  /** Publishes 1, 2, 3, ... retained to one topic; a PUBACK / PUBCOMP counts as acknowledged. */
  private void mqttWriter(
      Mqtt5BlockingClient client, String topic, MqttQos qos, AtomicBoolean running) {
    while (running.get()) {
      long seq = ledger.attempt(topic);
      try {
        Mqtt5PublishResult result =
            client
                .publishWith()
                .topic(topic)
                .payload(Long.toString(seq).getBytes(UTF_8))
                .qos(qos)
                .retain(true)
                .send();
        if (result.getError().isPresent() || !accepted(result)) {
          return;
        }
      } catch (RuntimeException e) {
        return;
      }
      ledger.acked(topic, seq);
    }
  }

  private static boolean accepted(Mqtt5PublishResult result) {
    if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result r) {
      return !r.getPubAck().getReasonCode().isError();
    }
    if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result r) {
      return !r.getPubRec().getReasonCode().isError();
    }
    return false;
  }

  private List<String> checkState(FakeDaprd daprd) {
    List<String> problems = new ArrayList<>();
    Map<String, Long> stored = new HashMap<>();
    for (String key : ledger.snapshot().keySet()) {
      if (!key.startsWith("crash||")) {
        continue;
      }
      State.GetResponse r =
          daprd
              .state(STORE)
              .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
              .get(State.GetRequest.newBuilder().setKey(key).build());
      long value = r.getData().isEmpty() ? 0 : Long.parseLong(r.getData().toStringUtf8());
      stored.put(key, value);
      Optional.ofNullable(ledger.check(key, value)).ifPresent(problems::add);
    }
    if (!stored.getOrDefault("crash||ta", 0L).equals(stored.getOrDefault("crash||tb", 0L))) {
      problems.add("transaction applied in part: " + stored);
    }
    return problems;
  }

  private List<String> checkRetained(int port) throws Exception {
    List<String> expected =
        ledger.snapshot().entrySet().stream()
            .filter(e -> e.getKey().startsWith("crash/") && e.getValue()[0] > 0)
            .map(Map.Entry::getKey)
            .toList();
    Map<String, Long> received = new HashMap<>();
    Mqtt5BlockingClient reader = connect(port, "reader");
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        reader.publishes(MqttGlobalPublishFilter.ALL)) {
      reader.subscribeWith().topicFilter("crash/#").qos(MqttQos.AT_LEAST_ONCE).send();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!received.keySet().containsAll(expected) && System.nanoTime() < deadline) {
        publishes
            .receive(100, TimeUnit.MILLISECONDS)
            .ifPresent(p -> received.put(p.getTopic().toString(), seq(p)));
      }
      Optional<Mqtt5Publish> late;
      while ((late = publishes.receive(100, TimeUnit.MILLISECONDS)).isPresent()) {
        received.put(late.get().getTopic().toString(), seq(late.get()));
      }
    } finally {
      reader.disconnect();
    }
    List<String> problems = new ArrayList<>();
    for (String topic : ledger.snapshot().keySet()) {
      if (topic.startsWith("crash/")) {
        Optional.ofNullable(ledger.check(topic, received.getOrDefault(topic, 0L)))
            .ifPresent(problems::add);
      }
    }
    return problems;
  }

  private static long seq(Mqtt5Publish p) {
    return Long.parseLong(new String(p.getPayloadAsBytes(), UTF_8));
  }
}
