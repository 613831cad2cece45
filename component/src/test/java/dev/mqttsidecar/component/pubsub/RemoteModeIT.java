package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.Pubsub.PauseRequest;
import dapr.proto.components.v1.Pubsub.PublishRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dapr.proto.components.v1.Pubsub.ResumeRequest;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Remote mode between real processes: a broker tier (a sidecar with its embedded broker) and two
 * sidecars started with {@code --no-broker}, each with its own socket and impersonated daprd, whose
 * pub/sub components name the tier in {@code url}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteModeIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Path folder;
  private SidecarProcess tier;
  private SidecarProcess sidecarA;
  private SidecarProcess sidecarB;
  private FakeDaprd daprdA;
  private FakeDaprd daprdB;
  private String url;

  @BeforeAll
  void start() throws Exception {
    folder = Files.createTempDirectory("remote-mode-");
    tier = SidecarProcess.start(folder, "tier");
    url = "tcp://127.0.0.1:" + tier.mqttPort();
    sidecarA = SidecarProcess.start(folder, "a", "--no-broker");
    sidecarB = SidecarProcess.start(folder, "b", "--no-broker");
    daprdA = new FakeDaprd(folder.resolve("a.sock"));
    daprdB = new FakeDaprd(folder.resolve("b.sock"));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {daprdA, daprdB, sidecarA, sidecarB, tier}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void aSidecarWithoutBrokerListensOnNoMqttPortAndNeedsUrl() {
    assertThat(sidecarA.output())
        .contains("No embedded broker")
        .doesNotContain("MQTT broker listening");
    assertThatThrownBy(() -> daprdA.initPubSub(component("local", Map.of())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("url").contains("--no-broker");
            });
    assertThatThrownBy(() -> daprdA.initState(component("state", Map.of())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("--no-broker"));
  }

  @Test
  void withoutTheBrokerMetricsShowTheDaprCalls() throws Exception {
    daprdB.initPubSub(component("metered", Map.of("url", url)));
    // The call is timed as it closes, a moment after its answer.
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              java.net.http.HttpResponse<String> metrics =
                  dev.mqttsidecar.component.testing.HttpCalls.get(sidecarB.httpUri(), "/metrics");
              assertThat(metrics.statusCode()).isEqualTo(200);
              assertThat(metrics.body())
                  .contains(
                      "dapr_calls_seconds_count{method=\"dapr.proto.components.v1.PubSub/Init\"")
                  .contains("jvm_threads_states_threads{state=\"runnable\"}")
                  .doesNotContain("mqtt_connections ");
            });
  }

  @Test
  void badConnectionMetadataFailsInitNamingTheKey() {
    assertThat(initError(Map.of("url", "http://127.0.0.1:1883")))
        .contains("'url'")
        .contains("tcp://");
    assertThat(initError(Map.of("url", url, "clientCert", "-----BEGIN CERTIFICATE-----")))
        .contains("clientKey");
    assertThat(initError(Map.of("url", url, "caCert", "not pem"))).contains("'caCert'");
    assertThat(initError(Map.of("url", url, "keepAliveSeconds", "-1")))
        .contains("'keepAliveSeconds'");
    assertThat(initError(Map.of("url", url, "tokenFile", folder.resolve("none").toString())))
        .contains("'tokenFile'");
  }

  private String initError(Map<String, String> metadata) {
    try {
      daprdA.initPubSub(component("bad", metadata));
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      return e.getStatus().getDescription();
    }
    throw new AssertionError("Init accepted " + metadata);
  }

  @Test
  void publishedOnOneSidecarIsPulledOnTheOther() throws Exception {
    ComponentYaml pubsub = component("orders", Map.of("url", url));
    assertThat(daprdA.initPubSub(pubsub)).contains("BULK_PUBSUB");
    daprdB.initPubSub(pubsub);
    try (DaprStream stream = DaprStream.open(daprdB, "orders", "placed", Map.of())) {
      awaitSubscribed(sidecarB, "placed");
      publish(daprdA, "orders", "placed", "order-1");
      PullMessagesResponse message = stream.next(WAIT);
      assertThat(message.getTopicName()).isEqualTo("placed");
      assertThat(message.getData().toStringUtf8()).contains("order-1");
      stream.ack(message);
      assertThat(stream.poll(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  void aConsumerGroupAcrossTwoSidecarsGetsEachMessageOnce() throws Exception {
    assertConsumerGroupShares(url, daprdA, sidecarA, daprdB, sidecarB);
  }

  /**
   * A consumer group with a member on each sidecar gets each of 40 messages once, and both members
   * take part.
   */
  static void assertConsumerGroupShares(
      String url, FakeDaprd daprdA, SidecarProcess a, FakeDaprd daprdB, SidecarProcess b)
      throws Exception {
    ComponentYaml pubsub = component("jobs", Map.of("url", url, "consumerID", "workers"));
    daprdA.initPubSub(pubsub);
    daprdB.initPubSub(pubsub);
    try (DaprStream onA = DaprStream.open(daprdA, "jobs", "work", Map.of(), m -> null);
        DaprStream onB = DaprStream.open(daprdB, "jobs", "work", Map.of(), m -> null)) {
      awaitSubscribed(a, "work");
      awaitSubscribed(b, "work");
      int count = 40;
      for (int i = 0; i < count; i++) {
        publish(daprdA, "jobs", "work", "job-" + i + ";");
      }
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> onA.handled().size() + onB.handled().size() >= count);
      List<String> seen = new ArrayList<>();
      onA.handled().forEach(m -> seen.add(entryOf(m, "job-")));
      onB.handled().forEach(m -> seen.add(entryOf(m, "job-")));
      assertThat(seen).hasSize(count).doesNotHaveDuplicates();
      assertThat(onA.handled()).as("member on A").isNotEmpty();
      assertThat(onB.handled()).as("member on B").isNotEmpty();
    }
  }

  @Test
  void nacksRedeliverUpToMaxDeliveriesThenDeadLetterAndPauseHolds() throws Exception {
    daprdA.initPubSub(
        component(
            "settle",
            Map.of(
                "url",
                url,
                "maxDeliveries",
                "3",
                "deadLetterTopic",
                "poison",
                "redeliveryBackoff",
                "20ms")));
    try (DaprStream work = DaprStream.open(daprdA, "settle", "work", Map.of(), m -> "fails");
        DaprStream poison = DaprStream.open(daprdA, "settle", "poison", Map.of(), m -> null)) {
      awaitSubscribed(sidecarA, "work");
      awaitSubscribed(sidecarA, "poison");
      publish(daprdA, "settle", "work", "bad;");
      Awaitility.await().atMost(WAIT).until(() -> poison.handled().size() == 1);
      assertThat(entryOf(poison.handled().get(0), "bad")).isEqualTo("bad");
      assertThat(poison.handled().get(0).getTopicName()).isEqualTo("poison");
      assertThat(work.handled()).as("delivered, nacked, redelivered").hasSize(3);
    }

    try (DaprStream calm = DaprStream.open(daprdA, "settle", "calm", Map.of())) {
      awaitSubscribed(sidecarA, "calm");
      daprdA.pubSub("settle").pause(PauseRequest.getDefaultInstance());
      publish(daprdA, "settle", "calm", "held;");
      assertThat(calm.poll(Duration.ofMillis(500))).as("nothing while paused").isNull();
      daprdA.pubSub("settle").resume(ResumeRequest.getDefaultInstance());
      PullMessagesResponse held = calm.next(WAIT);
      assertThat(entryOf(held, "held")).isEqualTo("held");
      calm.ack(held);
    }
  }

  @Test
  void failsOverFromADeadServerToTheNextInTheList() throws Exception {
    String failover = "tcp://127.0.0.1:" + deadPort() + "," + url;
    ComponentYaml pubsub = component("failover", Map.of("url", failover));
    daprdA.initPubSub(pubsub);
    try (DaprStream stream = DaprStream.open(daprdA, "failover", "fo", Map.of())) {
      awaitSubscribed(sidecarA, "fo");
      publish(daprdA, "failover", "fo", "after-failover");
      PullMessagesResponse message = stream.next(WAIT);
      assertThat(message.getData().toStringUtf8()).contains("after-failover");
      stream.ack(message);
    }
    assertThat(sidecarA.output()).contains("cannot connect to tcp://127.0.0.1:");
  }

  @Test
  void retainNeverClearsTheRetainFlagThatKeepPassesOn() throws Exception {
    daprdA.initPubSub(component("keep", Map.of("url", url, "retain", "Keep")));
    daprdA.initPubSub(component("never", Map.of("url", url, "retain", "Never")));
    publishRetained(daprdA, "keep", "status/kept");
    publishRetained(daprdA, "never", "status/dropped");

    Mqtt5BlockingClient reader = tier.mqtt5Client("retained-reader");
    try (Mqtt5BlockingClient.Mqtt5Publishes retained =
        reader.publishes(MqttGlobalPublishFilter.ALL)) {
      reader.connect();
      reader.subscribeWith().topicFilter("status/#").send();
      Optional<Mqtt5Publish> first = retained.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(first).map(p -> p.getTopic().toString()).contains("status/kept");
      assertThat(first.get().isRetain()).isTrue();
      assertThat(retained.receive(500, TimeUnit.MILLISECONDS))
          .as("Never: nothing retained on the broker")
          .isEmpty();
    } finally {
      reader.disconnect();
    }
  }

  private static void publishRetained(FakeDaprd daprd, String instance, String topic) {
    daprd
        .pubSub(instance)
        .publish(
            PublishRequest.newBuilder()
                .setPubsubName(instance)
                .setTopic(topic)
                .setData(ByteString.copyFromUtf8("online"))
                .setContentType("text/plain")
                .putMetadata("retain", "true")
                .build());
  }

  @Test
  void anInitUnderTheSameNameSharesTheConnectionInsteadOfTakingItsSessionOver() throws Exception {
    Map<String, String> metadata = Map.of("url", url, "clientIdPrefix", "reinit");
    daprdA.initPubSub(component("reinit", metadata));
    publish(daprdA, "reinit", "r", "first");
    // A second daprd on the same socket, or the first one restarted, initialises the same name.
    try (FakeDaprd second = new FakeDaprd(folder.resolve("a.sock"))) {
      second.initPubSub(component("reinit", metadata));
      for (int i = 0; i < 10; i++) { // 2 s: ten times the first reconnect delay
        publish(second, "reinit", "r", "second-" + i);
        publish(daprdA, "reinit", "r", "first-" + i);
        Thread.sleep(200);
      }
      // Other connection metadata: the earlier connection closes instead of lingering.
      Map<String, String> changed = new java.util.HashMap<>(metadata);
      changed.put("keepAliveSeconds", "30");
      second.initPubSub(component("reinit", changed));
      for (int i = 0; i < 5; i++) {
        publish(second, "reinit", "r", "changed-" + i);
        Thread.sleep(200);
      }
    }
    assertThat(sidecarA.output())
        .doesNotContainPattern("reinit-\\S+ lost ")
        .contains("pub/sub 'reinit' initialised with other connection metadata");
  }

  @Test
  void aSubscriptionTheBrokerRefusesEndsTheStreamSayingWhy() throws Exception {
    Path rules =
        Files.writeString(
            folder.resolve("guarded.yaml"),
            """
            authorization:
              rules:
                - match: { clientId: "*" }
                  publish: ["#"]
                  subscribe: ["open/#"]
            """);
    try (SidecarProcess guarded =
        SidecarProcess.start(folder, "guarded", "--config", rules.toString())) {
      daprdA.initPubSub(
          component("guarded", Map.of("url", "tcp://127.0.0.1:" + guarded.mqttPort())));
      try (DaprStream refused = DaprStream.open(daprdA, "guarded", "closed/door", Map.of());
          DaprStream allowed = DaprStream.open(daprdA, "guarded", "open/door", Map.of())) {
        Status status = refused.endStatus(WAIT);
        assertThat(status).as("the refused stream's end").isNotNull();
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("closed/door").contains("NOT_AUTHORIZED");

        awaitSubscribed(sidecarA, "open/door");
        publish(daprdA, "guarded", "open/door", "welcome");
        PullMessagesResponse message = allowed.next(WAIT);
        assertThat(message.getData().toStringUtf8()).contains("welcome");
        allowed.ack(message);
      }
    }
  }

  static void publish(FakeDaprd daprd, String instance, String topic, String data) {
    daprd
        .pubSub(instance)
        .publish(
            PublishRequest.newBuilder()
                .setPubsubName(instance)
                .setTopic(topic)
                .setData(ByteString.copyFrom(data, StandardCharsets.UTF_8))
                .setContentType("text/plain")
                .build());
  }

  /** The entry "{prefix}...;" a message's data holds, or all of its data without one. */
  static String entryOf(PullMessagesResponse m, String prefix) {
    String data = m.getData().toStringUtf8();
    int start = data.indexOf(prefix);
    return start < 0 ? data : data.substring(start, data.indexOf(';', start));
  }

  /** The entries "entry-N" the stream handled so far, in order. */
  static Set<String> receivedEntries(DaprStream stream) {
    Set<String> entries = new LinkedHashSet<>();
    stream.handled().forEach(m -> entries.add(entryOf(m, "entry-")));
    return entries;
  }

  /** A Publish of one entry to the "ledger" component's "entries" topic. */
  static PublishRequest ledgerEntry(String data) {
    return PublishRequest.newBuilder()
        .setPubsubName("ledger")
        .setTopic("entries")
        .setData(ByteString.copyFromUtf8(data))
        .setContentType("text/plain")
        .build();
  }

  static void awaitSubscribed(SidecarProcess sidecar, String topic) throws InterruptedException {
    sidecar.awaitLine(
        Pattern.compile("subscribed to \\$share/\\S+/" + Pattern.quote(topic) + "(\\s|$)"), WAIT);
  }

  static ComponentYaml component(String name, Map<String, String> metadata) {
    return new ComponentYaml(name, "pubsub.mqtt-sidecar", metadata);
  }

  static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort(); // closed again: nothing listens there
    }
  }
}
