package dev.mqttsidecar.component.pubsub;

import static dev.mqttsidecar.component.pubsub.RemoteModeIT.assertConsumerGroupShares;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.awaitSubscribed;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.component;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.ledgerEntry;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.publish;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.receivedEntries;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub.PublishResponse;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.HiveMq;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Remote mode against HiveMQ Community Edition, a process the test starts: pub/sub between two
 * sidecars through it, a consumer group as a {@code $share} group of HiveMQ, the state store's
 * fall-back to last-write-wins, and HiveMQ stopped and started again (its sessions on disk) under a
 * stream, with every acknowledged Publish delivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteModeHiveMqIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path folder;
  private HiveMq hivemq;
  private SidecarProcess a;
  private SidecarProcess b;
  private FakeDaprd daprdA;
  private FakeDaprd daprdB;
  private String url;

  @BeforeAll
  void start() throws Exception {
    folder = Files.createTempDirectory("remote-hivemq-");
    hivemq = HiveMq.start(Files.createDirectories(folder.resolve("hivemq")));
    url = "tcp://127.0.0.1:" + hivemq.mqttPort();
    a = SidecarProcess.start(folder, "a", "--no-broker");
    b = SidecarProcess.start(folder, "b", "--no-broker");
    daprdA = new FakeDaprd(folder.resolve("a.sock"));
    daprdB = new FakeDaprd(folder.resolve("b.sock"));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {daprdA, daprdB, a, b, hivemq}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void pubSubAndAConsumerGroupThroughHiveMqStateIsLastWriteWins() throws Exception {
    ComponentYaml orders = component("orders", Map.of("url", url));
    daprdA.initPubSub(orders);
    daprdB.initPubSub(orders);
    try (DaprStream stream = DaprStream.open(daprdB, "orders", "placed", Map.of())) {
      awaitSubscribed(b, "placed");
      publish(daprdA, "orders", "placed", "order-1");
      PullMessagesResponse message = stream.next(WAIT);
      assertThat(message.getData().toStringUtf8()).contains("order-1");
      stream.ack(message);
    }

    assertConsumerGroupShares(url, daprdA, a, daprdB, b);

    assertThat(
            daprdA.initState(new ComponentYaml("state", "state.mqtt-sidecar", Map.of("url", url))))
        .as("HiveMQ has no state service: last-write-wins, no ETags, no transactions")
        .doesNotContain("ETAG", "TRANSACTIONAL");
    assertThat(a.output()).contains("last-write-wins");
  }

  @Test
  void hiveMqStoppedAndStartedUnderAStreamLosesNoAcknowledgedMessage() throws Exception {
    daprdA.initPubSub(component("ledger", Map.of("url", url)));
    Set<String> acknowledged = new LinkedHashSet<>();
    try (DaprStream stream = DaprStream.open(daprdA, "ledger", "entries", Map.of(), m -> null)) {
      awaitSubscribed(a, "entries");
      for (int i = 0; i < 20; i++) {
        publish(daprdA, "ledger", "entries", "entry-" + i + ";");
        acknowledged.add("entry-" + i);
      }

      hivemq.stop();
      a.awaitLine(Pattern.compile("-pub lost " + Pattern.quote(url)), WAIT);
      // Published while HiveMQ is down: buffered, and answered once HiveMQ has them.
      PubSubGrpc.PubSubFutureStub async = PubSubGrpc.newFutureStub(daprdA.instance("ledger"));
      List<ListenableFuture<PublishResponse>> waiting = new ArrayList<>();
      for (int i = 20; i < 25; i++) {
        waiting.add(async.publish(ledgerEntry("entry-" + i + ";")));
      }
      hivemq.restart();
      for (int i = 0; i < waiting.size(); i++) {
        waiting.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        acknowledged.add("entry-" + (20 + i));
      }
      for (int i = 25; i < 35; i++) {
        publish(daprdA, "ledger", "entries", "entry-" + i + ";");
        acknowledged.add("entry-" + i);
      }

      Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(receivedEntries(stream)).containsAll(acknowledged));
    }
  }
}
