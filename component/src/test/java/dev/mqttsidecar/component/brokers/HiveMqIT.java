package dev.mqttsidecar.component.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsidecar.component.testing.HiveMq;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HiveMQ Community Edition as a process (bench/brokers/hivemq) gives what remote mode relies on
 * from a single-node broker: {@code $share} groups and persistent MQTT 5 sessions.
 */
class HiveMqIT {
  private static final int MESSAGES = 100;

  @TempDir Path dir;
  private HiveMq hivemq;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void startBroker() throws Exception {
    hivemq = HiveMq.start(dir);
  }

  @AfterEach
  void stopBroker() throws Exception {
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception | AssertionError ignored) {
        // The broker may be gone.
      }
    }
    hivemq.close();
  }

  @Test
  void aSharedGroupGetsEachMessageOnceSpreadOverItsMembers() throws Exception {
    Subscriber first = track(new Subscriber("worker-1", 0));
    Subscriber second = track(new Subscriber("worker-2", 0));
    for (Subscriber s : List.of(first, second)) {
      s.connect(hivemq.mqttPort());
      s.subscribe("$share/workers/orders");
    }
    Publisher publisher = track(new Publisher("orders-app", hivemq.mqttPort()));
    for (int i = 0; i < MESSAGES; i++) {
      publisher.publish("orders", "order-" + i);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> first.received().size() + second.received().size(), n -> n >= MESSAGES);
    List<String> all = new ArrayList<>(first.received());
    all.addAll(second.received());
    assertThat(all).hasSize(MESSAGES).doesNotHaveDuplicates();
    assertThat(first.received()).isNotEmpty();
    assertThat(second.received()).isNotEmpty();
  }

  @Test
  void aPersistentSessionKeepsItsMessagesAcrossABrokerRestart() throws Exception {
    Subscriber subscriber = track(new Subscriber("ledger", 600));
    subscriber.connect(hivemq.mqttPort());
    subscriber.subscribe("payments");
    subscriber.disconnect();
    try (Publisher publisher = new Publisher("payments-app", hivemq.mqttPort())) {
      for (int i = 0; i < MESSAGES; i++) {
        publisher.publish("payments", "payment-" + i);
      }
    }
    hivemq.stop();
    hivemq.restart();

    assertThat(subscriber.connect(hivemq.mqttPort()).isSessionPresent()).isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> subscriber.received("payment-").stream().distinct().count() == MESSAGES);
  }

  private <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }
}
