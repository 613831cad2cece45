package dev.mqttsidecar.bench.soak;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttClientHandler;
import dev.mqttsidecar.bench.mqtt.MqttPipeline;
import dev.mqttsidecar.bench.mqtt.Transport;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT half of the soak, at fixed rates: one publisher/subscriber pair per QoS (0 over 3.1.1, 1
 * and 2 over 5.0), persistent sessions that come and go with a QoS 1 publisher each, and retained
 * QoS 1 writes cycling over a fixed set of topics (so the retained store stays the same size
 * however long it runs).
 */
final class MqttLoad implements AutoCloseable {
  static final double QOS0_RATE = 50;
  static final double QOS1_RATE = 50;
  static final double QOS2_RATE = 20;
  static final int SESSIONS = 4;
  static final double SESSION_RATE = 5;
  static final double RETAINED_RATE = 20;
  static final int RETAINED_TOPICS = 1000;
  private static final int PAYLOAD = 128;
  private static final int RETAINED_PAYLOAD = 256;

  private final Transport transport = Transport.create(1);
  private final InetSocketAddress broker;
  private final List<Ledger> ledgers = new ArrayList<>();
  private final List<PacedPublisher> publishers = new ArrayList<>();
  private final List<CountingSubscriber> subscribers = new ArrayList<>();
  private final SessionChurn churn;
  private Ledger retained;

  MqttLoad(int port, ScheduledExecutorService scheduler) {
    broker = new InetSocketAddress("127.0.0.1", port);
    Ledger[] sessionLedgers = new Ledger[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
      sessionLedgers[i] = ledger("session " + i + " QoS 1", true);
    }
    churn = new SessionChurn(transport.bootstrap(), broker, scheduler, sessionLedgers);
  }

  /** Connects everything and starts publishing; fails if a connection does not come up. */
  void start() throws Exception {
    pair(0, MqttVersion.MQTT_3_1_1, QOS0_RATE);
    pair(1, MqttVersion.MQTT_5, QOS1_RATE);
    pair(2, MqttVersion.MQTT_5, QOS2_RATE);
    churn.start();
    for (int i = 0; i < SESSIONS; i++) {
      String topic = SessionChurn.topic(i);
      publishers.add(
          publisher(
              "soak-session-pub-" + i,
              MqttVersion.MQTT_5,
              s -> topic,
              1,
              false,
              PAYLOAD,
              SESSION_RATE,
              ledgers.get(i)));
    }
    retained = ledger("retained QoS 1", false);
    publishers.add(
        publisher(
            "soak-retained",
            MqttVersion.MQTT_5,
            s -> "soak/retained/" + (s % RETAINED_TOPICS),
            1,
            true,
            RETAINED_PAYLOAD,
            RETAINED_RATE,
            retained));
    await(subscribers.stream().map(MqttClientHandler::ready));
    await(publishers.stream().map(MqttClientHandler::ready));
    publishers.forEach(PacedPublisher::start);
  }

  private void pair(int qos, MqttVersion version, double rate) throws Exception {
    Ledger ledger = ledger("QoS " + qos, qos > 0);
    String topic = "soak/qos" + qos;
    CountingSubscriber sub =
        new CountingSubscriber(
            new ClientSettings("soak-sub-qos" + qos, version, 0, 0), topic, qos, ledger);
    MqttPipeline.connect(transport.bootstrap(), broker, null, sub);
    subscribers.add(sub);
    sub.ready().get(30, TimeUnit.SECONDS); // subscribed before the first message goes out
    publishers.add(
        publisher("soak-pub-qos" + qos, version, s -> topic, qos, false, PAYLOAD, rate, ledger));
  }

  private PacedPublisher publisher(
      String clientId,
      MqttVersion version,
      java.util.function.LongFunction<String> topics,
      int qos,
      boolean retain,
      int payload,
      double rate,
      Ledger ledger) {
    PacedPublisher p =
        new PacedPublisher(
            new ClientSettings(clientId, version, 0, 0),
            topics,
            qos,
            retain,
            payload,
            rate,
            ledger);
    MqttPipeline.connect(transport.bootstrap(), broker, null, p);
    return p;
  }

  private Ledger ledger(String name, boolean guaranteed) {
    Ledger l = new Ledger("MQTT " + name, guaranteed);
    ledgers.add(l);
    return l;
  }

  List<Ledger> ledgers() {
    return ledgers;
  }

  long sessionConnections() {
    return churn.connections();
  }

  /**
   * Stops publishing, waits for what is in flight, brings every session back and waits (at most
   * {@code timeout}) until all acknowledged messages arrived.
   */
  void finish(Duration timeout) throws Exception {
    publishers.forEach(PacedPublisher::stop);
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture.allOf(
            publishers.stream().map(PacedPublisher::finished).toArray(CompletableFuture[]::new))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    churn.drain();
    Ledger readBack = readBackRetained();
    Deadlines.awaitTrue(
        () -> churn.allBack() && ledgers.stream().allMatch(l -> l.missing() == 0), deadline);
    if (readBack.receivedCount() > readBack.ackedCount()) {
      readBack.error("more retained messages than topics: " + readBack.receivedCount());
    }
  }

  /**
   * A new subscriber of every retained topic must get each topic's last write: messages {@code sent
   * - RETAINED_TOPICS .. sent - 1} (one writer, in order, all acknowledged by now).
   */
  private Ledger readBackRetained() throws Exception {
    Ledger readBack = ledger("retained read back (last write of each topic)", true);
    long sent = retained.sentCount();
    for (long seq = Math.max(0, sent - RETAINED_TOPICS); seq < sent; seq++) {
      readBack.acked(seq);
    }
    CountingSubscriber sub =
        new CountingSubscriber(
            new ClientSettings("soak-retained-reader", MqttVersion.MQTT_5, 0, 0),
            "soak/retained/+",
            1,
            readBack);
    MqttPipeline.connect(transport.bootstrap(), broker, null, sub);
    subscribers.add(sub);
    sub.ready().get(30, TimeUnit.SECONDS);
    return readBack;
  }

  private static void await(java.util.stream.Stream<CompletableFuture<Void>> ready)
      throws Exception {
    CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    publishers.forEach(PacedPublisher::disconnect);
    subscribers.forEach(CountingSubscriber::disconnect);
    churn.close();
    transport.close();
  }
}
