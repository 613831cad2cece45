package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscription matching far more retained messages than a session queues gets every one of them,
 * while live messages keep flowing; a replay that can no longer finish is stopped and freed.
 */
@ExtendWith(LeakCheck.class)
class RetainedReplayIT {
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private BrokerFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Stores {@code count} retained messages {@code m/<i / 1000>/<i>}, QoS 1. */
  private void retain(int count) {
    List<RetainedWrite> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String topic = "m/" + (i / 1000) + "/" + i;
      batch.add(
          RetainedWrite.set(
              Message.of(topic, topic.getBytes(UTF_8), Qos.AT_LEAST_ONCE, true),
              RetainedWrite.ANY_VERSION));
      if (batch.size() == 5_000 || i == count - 1) {
        assertThat(fixture.broker().retained().write(batch).join().status())
            .isEqualTo(RetainedWriteResult.Status.APPLIED);
        batch = new ArrayList<>();
      }
    }
  }

  private Counters counters() {
    return fixture.services().counters();
  }

  @Test
  void everyMatchingRetainedMessageArrivesOnceAndLiveMessagesAreNotHeldBack() {
    int count = 200_000;
    retain(count);
    Set<String> topics = ConcurrentHashMap.newKeySet();
    AtomicInteger received = new AtomicInteger();
    AtomicLong retainedBeforeLive = new AtomicLong(-1);
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    sub.toAsync()
        .subscribeWith()
        .topicFilter("m/+/+")
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(
            p -> {
              if (p.isRetain()) {
                topics.add(p.getTopic().toString());
                received.incrementAndGet();
              } else {
                retainedBeforeLive.set(received.get());
              }
            })
        .send()
        .join();
    await().atMost(DEADLINE).until(() -> received.get() > 0);
    fixture
        .connect5("pub")
        .publishWith()
        .topic("m/live/1")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("live".getBytes(UTF_8))
        .send();

    await().atMost(DEADLINE).until(() -> received.get() >= count);
    assertThat(topics).hasSize(count);
    await().atMost(DEADLINE).until(() -> counters().retainedReplays() == 0);
    assertThat(received.get()).isEqualTo(count); // nothing twice
    // The live message went out between retained ones, not after all of them.
    assertThat(retainedBeforeLive.get()).isBetween(1L, count - 1L);
    assertThat(counters().queueOverflow()).isZero();
  }

  @Test
  void anInProcessSubscriberGetsEveryMatchingRetainedMessage() {
    int count = 20_000; // twice what its queue holds
    retain(count);
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    fixture
        .broker()
        .subscribe(
            new SubscriptionRequest("dapr", "m/#", Qos.AT_LEAST_ONCE, 10, Duration.ZERO), sub);
    await().atMost(DEADLINE).until(() -> sub.all().size() >= count);
    assertThat(sub.all().stream().map(d -> d.message().topic()).distinct()).hasSize(count);
    await().atMost(DEADLINE).until(() -> counters().retainedReplays() == 0);
    assertThat(sub.all()).hasSize(count);
    assertThat(counters().queueOverflow()).isZero();
  }

  /** A subscriber that acknowledges nothing and takes at most 10 unacknowledged messages. */
  private Mqtt5BlockingClient stalledSubscriber(String clientId, long sessionExpiry) {
    Mqtt5BlockingClient client = fixture.mqtt5(clientId).buildBlocking();
    client
        .connectWith()
        .cleanStart(true)
        .sessionExpiryInterval(sessionExpiry)
        .restrictions()
        .receiveMaximum(10)
        .applyRestrictions()
        .send();
    fixture.track(client);
    AtomicInteger received = new AtomicInteger();
    client
        .toAsync()
        .subscribeWith()
        .topicFilter("m/#")
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> received.incrementAndGet())
        .manualAcknowledgement(true)
        .send()
        .join();
    await().atMost(DEADLINE).until(() -> received.get() == 10);
    assertThat(counters().retainedReplays()).isEqualTo(1);
    return client;
  }

  @Test
  void unsubscribeStopsTheReplay() {
    retain(5_000);
    long abandoned = counters().retainedReplaysAbandoned();
    Mqtt5BlockingClient sub = stalledSubscriber("sub", 0);
    sub.unsubscribeWith().topicFilter("m/#").send();
    await().atMost(DEADLINE).until(() -> counters().retainedReplays() == 0);
    assertThat(counters().retainedReplaysAbandoned()).isEqualTo(abandoned + 1);
  }

  @Test
  void aNewSubscriptionOfTheSameFilterReplacesTheReplay() {
    retain(5_000);
    long abandoned = counters().retainedReplaysAbandoned();
    Mqtt5BlockingClient sub = stalledSubscriber("sub", 0);
    sub.toAsync().subscribeWith().topicFilter("m/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
    await().atMost(DEADLINE).until(() -> counters().retainedReplaysAbandoned() == abandoned + 1);
    assertThat(counters().retainedReplays()).isEqualTo(1);
  }

  @Test
  void theSessionEndingStopsTheReplay() {
    retain(5_000);
    long abandoned = counters().retainedReplaysAbandoned();
    stalledSubscriber("sub", 0).disconnect();
    await().atMost(DEADLINE).until(() -> counters().retainedReplays() == 0);
    // A clean start takes the session over and ends it.
    stalledSubscriber("other", 0);
    fixture.connect5("other");
    await().atMost(DEADLINE).until(() -> counters().retainedReplays() == 0);
    assertThat(counters().retainedReplaysAbandoned()).isEqualTo(abandoned + 2);
  }

  @Test
  void anOfflineSessionsReplayWaitsAndGoesOnWhenItComesBack() {
    int count = 5_000;
    retain(count);
    stalledSubscriber("persistent", 300).disconnect();
    assertThat(counters().retainedReplays()).isEqualTo(1);

    Set<String> topics = ConcurrentHashMap.newKeySet();
    Mqtt5AsyncClient back = fixture.mqtt5("persistent").buildAsync();
    back.publishes(
        MqttGlobalPublishFilter.ALL, (Mqtt5Publish p) -> topics.add(p.getTopic().toString()));
    back.connectWith().cleanStart(false).sessionExpiryInterval(300).send().join();
    try {
      await().atMost(DEADLINE).until(() -> topics.size() == count);
      await().atMost(DEADLINE).until(() -> counters().retainedReplays() == 0);
    } finally {
      back.disconnectWith().sessionExpiryInterval(0).send().join();
    }
  }

  /**
   * Not part of the suite: the time and heap a subscription to {@code -Dreplay.measure=N} retained
   * messages takes, in {@code -Dreplay.durability} (memory or fsync) mode. See bench/README.md.
   */
  @Test
  @EnabledIfSystemProperty(named = "replay.measure", matches = "\\d+")
  void measure(@TempDir Path folder) throws Exception {
    int count = Integer.parseInt(System.getProperty("replay.measure"));
    Durability durability =
        Durability.valueOf(System.getProperty("replay.durability", "memory").toUpperCase());
    fixture.close();
    fixture =
        BrokerFixture.start(
            BrokerConfig.builder().dataDirectory(folder.resolve("data")).durability(durability));
    retain(count);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    // With -Dreplay.gcEveryMs the heap is read after a forced GC that often: what the replay keeps
    // alive, not garbage (this slows the replay, so time it in a run without).
    long gcEvery = Long.getLong("replay.gcEveryMs", 0) * 1_000_000L;
    AtomicInteger received = new AtomicInteger();
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    long start = System.nanoTime();
    sub.toAsync()
        .subscribeWith()
        .topicFilter("#")
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> received.incrementAndGet())
        .send()
        .join();
    long[] peak = {before};
    long[] last = {start};
    long[] lastGc = {start};
    int[] seen = {0};
    // Done once everything arrived, or nothing more came for 5 s (what a full queue dropped).
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              long now = System.nanoTime();
              if (gcEvery > 0 && now - lastGc[0] > gcEvery) {
                System.gc();
                peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
                lastGc[0] = now;
              }
              int got = received.get();
              if (got != seen[0]) {
                seen[0] = got;
                last[0] = now;
              }
              return got >= count || now - last[0] > 5_000_000_000L;
            });
    System.out.printf(
        "replay of %,d retained (%s): %,d received in %,d ms; heap after GC %,d MiB before,"
            + " largest %,d MiB during%n",
        count,
        durability,
        received.get(),
        (last[0] - start) / 1_000_000,
        before >> 20,
        peak[0] >> 20);
  }
}
