package dev.mqttsidecar.component.pubsub;

import static dev.mqttsidecar.component.pubsub.RemoteModeIT.awaitSubscribed;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.component;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.publish;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub.PublishRequest;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote mode against HiveMQ Community Edition, a process the test starts: pub/sub between two
 * sidecars through it, a consumer group as a {@code $share} group of HiveMQ, the state store's
 * fall-back to last-write-wins, and HiveMQ stopped and started again (its sessions on disk) under a
 * stream, with every acknowledged Publish delivered.
 */
class RemoteModeHiveMqIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path folder;

  @Test
  void pubSubAndAConsumerGroupThroughHiveMqStateIsLastWriteWins() throws Exception {
    try (HiveMq hivemq = HiveMq.start(Files.createDirectories(folder.resolve("hivemq")));
        SidecarProcess a = SidecarProcess.start(folder, "a", "--no-broker");
        SidecarProcess b = SidecarProcess.start(folder, "b", "--no-broker");
        FakeDaprd daprdA = new FakeDaprd(folder.resolve("a.sock"));
        FakeDaprd daprdB = new FakeDaprd(folder.resolve("b.sock"))) {
      String url = "tcp://127.0.0.1:" + hivemq.mqttPort();
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

      ComponentYaml jobs = component("jobs", Map.of("url", url, "consumerID", "workers"));
      daprdA.initPubSub(jobs);
      daprdB.initPubSub(jobs);
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

      assertThat(
              daprdA.initState(
                  new ComponentYaml("state", "state.mqtt-sidecar", Map.of("url", url))))
          .as("HiveMQ has no state service: last-write-wins, no ETags, no transactions")
          .doesNotContain("ETAG", "TRANSACTIONAL");
      assertThat(a.output()).contains("last-write-wins");
    }
  }

  @Test
  void hiveMqStoppedAndStartedUnderAStreamLosesNoAcknowledgedMessage() throws Exception {
    try (HiveMq hivemq = HiveMq.start(Files.createDirectories(folder.resolve("hivemq")));
        SidecarProcess remote = SidecarProcess.start(folder, "remote", "--no-broker");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("remote.sock"))) {
      String url = "tcp://127.0.0.1:" + hivemq.mqttPort();
      daprd.initPubSub(component("ledger", Map.of("url", url)));
      Set<String> acknowledged = new LinkedHashSet<>();
      try (DaprStream stream = DaprStream.open(daprd, "ledger", "entries", Map.of(), m -> null)) {
        awaitSubscribed(remote, "entries");
        for (int i = 0; i < 20; i++) {
          publish(daprd, "ledger", "entries", "entry-" + i + ";");
          acknowledged.add("entry-" + i);
        }

        hivemq.stop();
        remote.awaitLine(Pattern.compile("-pub lost " + Pattern.quote(url)), WAIT);
        // Published while HiveMQ is down: buffered, and answered once HiveMQ has them.
        PubSubGrpc.PubSubFutureStub async = PubSubGrpc.newFutureStub(daprd.instance("ledger"));
        List<ListenableFuture<PublishResponse>> waiting = new ArrayList<>();
        for (int i = 20; i < 25; i++) {
          waiting.add(async.publish(request("entry-" + i + ";")));
        }
        hivemq.restart();
        for (int i = 0; i < waiting.size(); i++) {
          waiting.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
          acknowledged.add("entry-" + (20 + i));
        }
        for (int i = 25; i < 35; i++) {
          publish(daprd, "ledger", "entries", "entry-" + i + ";");
          acknowledged.add("entry-" + i);
        }

        Awaitility.await()
            .atMost(WAIT)
            .untilAsserted(() -> assertThat(received(stream)).containsAll(acknowledged));
      }
    }
  }

  private static Set<String> received(DaprStream stream) {
    Set<String> entries = new LinkedHashSet<>();
    stream.handled().forEach(m -> entries.add(entryOf(m, "entry-")));
    return entries;
  }

  private static PublishRequest request(String data) {
    return PublishRequest.newBuilder()
        .setPubsubName("ledger")
        .setTopic("entries")
        .setData(ByteString.copyFromUtf8(data))
        .setContentType("text/plain")
        .build();
  }

  private static String entryOf(PullMessagesResponse m, String prefix) {
    String data = m.getData().toStringUtf8();
    int start = data.indexOf(prefix);
    return start < 0 ? data : data.substring(start, data.indexOf(';', start));
  }
}
