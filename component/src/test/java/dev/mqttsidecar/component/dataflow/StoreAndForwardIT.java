package dev.mqttsidecar.component.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store and forward with real processes: the sidecar program (durable store in a temp folder)
 * killed with SIGKILL and started again, and Debian's Mosquitto stopped and started again, while
 * QoS 1 messages flow through a dataflow. Every message a broker acknowledged to its publisher
 * arrives; duplicates are allowed (at least once) and counted.
 */
class StoreAndForwardIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Pattern CONNECTED = Pattern.compile("endpoint cloud: connected");

  @TempDir Path dir;
  private Mosquitto mosquitto;
  private Path config;
  private SidecarProcess sidecar;
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
  private final AtomicBoolean probed = new AtomicBoolean();

  @BeforeEach
  void startMosquitto() throws Exception {
    assumeTrue(Mosquitto.installed(), "no " + Mosquitto.BINARY + " (Debian package mosquitto)");
    TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
    mosquitto = Mosquitto.start(Files.createDirectories(dir.resolve("mosquitto")), pki);
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(c -> c.disconnect().exceptionally(e -> null));
    if (sidecar != null) {
      sidecar.close();
    }
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  /** Writes the configuration: one endpoint (this Mosquitto) and {@code flow}. */
  private void configure(String flow) throws Exception {
    configure(flow, "");
  }

  /** As {@link #configure(String)}, with more endpoint keys ({@code "key: value"} lines). */
  private void configure(String flow, String endpointKeys) throws Exception {
    Path password = Files.writeString(dir.resolve("cloud-password"), Mosquitto.PASSWORD + "\n");
    config =
        Files.writeString(
            dir.resolve("sidecar.yaml"),
            """
            endpoints:
              - name: cloud
                host: 127.0.0.1
                port: %d
                authentication: {method: UsernamePassword, username: %s, passwordFile: %s}
            %s
            dataflows:
            %s
            """
                .formatted(
                    mosquitto.port,
                    Mosquitto.USER,
                    password,
                    endpointKeys.indent(4),
                    flow.indent(2)));
  }

  /** The sidecar program, durable (the default, fsync) in the same data folder every time. */
  private void startSidecar() throws Exception {
    sidecar =
        SidecarProcess.start(
            dir,
            "saf",
            "--config",
            config.toString(),
            "--data-dir",
            dir.resolve("data").toString());
  }

  private Mqtt5AsyncClient client(String id, int port, boolean mosquittoSide) {
    var builder =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port);
    if (mosquittoSide) {
      builder =
          builder
              .simpleAuth()
              .username(Mosquitto.USER)
              .password(Mosquitto.PASSWORD.getBytes(StandardCharsets.UTF_8))
              .applySimpleAuth();
    }
    Mqtt5AsyncClient c = builder.buildAsync();
    clients.add(c);
    return c;
  }

  /**
   * Connects a persistent session that appends every payload (a number) it receives to {@code into}
   * (a message on a {@code .../probe} topic sets {@link #probed} instead); the callback is
   * registered before CONNECT, so what the session queued is not missed.
   */
  private Mqtt5AsyncClient persistentReceiver(
      String id, int port, boolean mosquittoSide, List<Integer> into) throws Exception {
    Mqtt5AsyncClient c = client(id, port, mosquittoSide);
    c.publishes(
        MqttGlobalPublishFilter.ALL,
        p -> {
          if (p.getTopic().toString().endsWith("/probe")) {
            probed.set(true);
          } else {
            into.add(Integer.parseInt(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
          }
        });
    c.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().get(30, TimeUnit.SECONDS);
    return c;
  }

  private static void subscribe(Mqtt5AsyncClient receiver, String filter) throws Exception {
    receiver
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(30, TimeUnit.SECONDS);
  }

  private static Mqtt5BlockingClient publisher(Mqtt5AsyncClient c) throws Exception {
    c.connect().get(30, TimeUnit.SECONDS);
    return c.toBlocking();
  }

  /** Publishes 0..count-1 at QoS 1; each returns only after the broker's PUBACK. */
  private static void publishNumbers(
      Mqtt5BlockingClient device, String topic, int count, AtomicInteger published) {
    for (int i = 0; i < count; i++) {
      var ack =
          device
              .publishWith()
              .topic(topic)
              .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8))
              .qos(MqttQos.AT_LEAST_ONCE)
              .send();
      assertThat(ack.getError()).as("PUBACK of message " + i).isEmpty();
      published.incrementAndGet();
    }
  }

  private void awaitAll(List<Integer> received, int count) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              java.util.Set<Integer> missing = new java.util.TreeSet<>();
              for (int i = 0; i < count; i++) {
                missing.add(i);
              }
              snapshot(received).forEach(missing::remove);
              assertThat(missing)
                  .as("messages not received; sidecar output:\n%s", sidecar.output())
                  .isEmpty();
            });
  }

  /** A copy taken under the list's lock: the receiving client appends to it meanwhile. */
  private static List<Integer> snapshot(List<Integer> received) {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /**
   * Asserts that 0..count-1 arrived, each first seen in publishing order; a repeat of an earlier
   * one (a redelivery) is allowed. Returns the number of repeats.
   */
  private static int assertInOrder(List<Integer> received, int count) {
    List<Integer> copy = snapshot(received);
    int next = 0;
    int repeats = 0;
    for (int value : copy) {
      if (value == next) {
        next++;
      } else if (value < next) {
        repeats++;
      } else {
        throw new AssertionError(
            "message " + value + " arrived before message " + next + ": " + copy);
      }
    }
    assertThat(next).as("messages received in order").isEqualTo(count);
    return repeats;
  }

  private static final String UP =
      """
      - name: up
        source: {topics: ["devices/#"]}
        destination: {endpoint: cloud, topic: "edge/${2}"}
      """;

  @Test
  void messagesAcknowledgedDuringAnOutageSurviveAKillOfTheSidecar() throws Exception {
    configure(UP);
    // Subscribed before the outage, so Mosquitto queues for it while it is away.
    List<Integer> upstream = Collections.synchronizedList(new ArrayList<>());
    subscribe(persistentReceiver("cloud-app", mosquitto.port, true, upstream), "edge/#");
    mosquitto.stop();

    startSidecar();
    int count = 300; // more than the flow's in-flight window (maxInflightMessages, 100)
    publishNumbers(
        publisher(client("device", sidecar.mqttPort(), false)),
        "devices/d1",
        count,
        new AtomicInteger());
    sidecar.kill();

    startSidecar();
    mosquitto.start();
    sidecar.awaitLine(CONNECTED, WAIT);
    persistentReceiver("cloud-app", mosquitto.port, true, upstream);
    awaitAll(upstream, count);
    assertInOrder(upstream, count);
  }

  @Test
  void messagesMosquittoAcceptedSurviveAKillOfTheSidecarMidStream() throws Exception {
    configure(
        """
        - name: down
          source: {endpoint: cloud, topics: ["down/#"]}
          destination: {topic: "in/${2}"}
        """);
    startSidecar();
    sidecar.awaitLine(CONNECTED, WAIT);
    List<Integer> embedded = Collections.synchronizedList(new ArrayList<>());
    subscribe(persistentReceiver("app", sidecar.mqttPort(), false, embedded), "in/#");
    Mqtt5BlockingClient device = publisher(client("device", mosquitto.port, true));
    // The flow subscribes once connected: a probe tells when Mosquitto routes to it.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              device.publishWith().topic("down/probe").payload(new byte[0]).send();
              return probed.get();
            });

    int count = 1000;
    CompletableFuture<Void> stream =
        CompletableFuture.runAsync(
            () -> publishNumbers(device, "down/d1", count, new AtomicInteger()));
    await().atMost(WAIT).until(() -> embedded.size() >= count / 5);
    sidecar.kill();
    startSidecar();
    persistentReceiver("app", sidecar.mqttPort(), false, embedded);
    stream.get(WAIT.toSeconds(), TimeUnit.SECONDS); // every one of them PUBACKed by Mosquitto
    awaitAll(embedded, count);
    List<Integer> all = snapshot(embedded);
    assertThat(all.stream().distinct().sorted().toList())
        .isEqualTo(java.util.stream.IntStream.range(0, count).boxed().toList());
    System.out.println("duplicates after the kill: " + (all.size() - count));
  }

  @Test
  void mosquittoStoppedAndStartedUnderLoadLosesNothingAndKeepsOrder() throws Exception {
    configure(UP);
    List<Integer> upstream = Collections.synchronizedList(new ArrayList<>());
    subscribe(persistentReceiver("cloud-app", mosquitto.port, true, upstream), "edge/#");
    startSidecar();
    sidecar.awaitLine(CONNECTED, WAIT);
    Mqtt5BlockingClient device = publisher(client("device", sidecar.mqttPort(), false));

    int count = 3000;
    AtomicInteger published = new AtomicInteger();
    CompletableFuture<Void> load =
        CompletableFuture.runAsync(() -> publishNumbers(device, "devices/d1", count, published));
    await().atMost(WAIT).until(() -> upstream.size() >= count / 10);
    mosquitto.stop();
    int before = published.get();
    // The devices go on publishing through the outage: a third of the load waits in the sidecar.
    await().atMost(WAIT).until(() -> published.get() >= Math.min(count, before + count / 3));
    mosquitto.start();
    persistentReceiver("cloud-app", mosquitto.port, true, upstream);
    load.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitAll(upstream, count);
    int repeats = assertInOrder(upstream, count);
    System.out.println("repeats after the outage: " + repeats);
  }

  @Test
  void aFullMemoryQueueKeepsTheRestInTheSessionAndTheOrder() throws Exception {
    configure(UP, "maxBufferedMessages: 5");
    List<Integer> upstream = Collections.synchronizedList(new ArrayList<>());
    subscribe(persistentReceiver("cloud-app", mosquitto.port, true, upstream), "edge/#");
    mosquitto.stop();
    startSidecar();
    int count = 300;
    publishNumbers(
        publisher(client("device", sidecar.mqttPort(), false)),
        "devices/d1",
        count,
        new AtomicInteger());
    // The in-flight window (100) is more than the queue takes (5): the rest is turned away.
    Pattern overflow =
        Pattern.compile("endpoint_messages_overflow_total\\{endpoint=\"cloud\"} [1-9]");
    await()
        .atMost(WAIT)
        .until(() -> overflow.matcher(HttpCalls.get(sidecar.httpUri(), "/metrics").body()).find());

    mosquitto.start();
    persistentReceiver("cloud-app", mosquitto.port, true, upstream);
    awaitAll(upstream, count);
    assertInOrder(upstream, count);
  }
}
