package dev.mqttsidecar.component.pubsub;

import static dev.mqttsidecar.component.pubsub.RemoteModeIT.awaitSubscribed;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.component;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.ledgerEntry;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.publish;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.receivedEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub.PublishResponse;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * The broker tier killed with SIGKILL and restarted under a stream: every message whose Publish
 * succeeded (the tier sent PUBACK) reaches the consumer group, and Publish fails with UNAVAILABLE
 * during the outage only once the outgoing buffer is full.
 */
class RemoteModeOutageIT {
  private static final int BUFFER = 5;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path folder;

  @Test
  void noAcknowledgedMessageIsLostWhenTheTierIsKilledAndRestarted() throws Exception {
    Path data = folder.resolve("tier-data");
    SidecarProcess tier = startTier("0", data);
    int port = tier.mqttPort();
    try (SidecarProcess remote = SidecarProcess.start(folder, "remote", "--no-broker");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("remote.sock"))) {
      daprd.initPubSub(
          component(
              "ledger",
              Map.of(
                  "url",
                  "tcp://127.0.0.1:" + port,
                  "maxBufferedMessages",
                  String.valueOf(BUFFER))));
      Set<String> acknowledged = new LinkedHashSet<>();
      try (DaprStream stream = DaprStream.open(daprd, "ledger", "entries", Map.of(), m -> null)) {
        awaitSubscribed(remote, "entries");
        for (int i = 0; i < 20; i++) {
          publish(daprd, "ledger", "entries", "entry-" + i + ";");
          acknowledged.add("entry-" + i);
        }

        tier.kill();
        remote.awaitLine(Pattern.compile("-pub lost tcp://127.0.0.1:" + port), WAIT);
        // One more than the buffer holds, at once: whichever the sidecar takes last is refused.
        PubSubGrpc.PubSubFutureStub async = PubSubGrpc.newFutureStub(daprd.instance("ledger"));
        List<ListenableFuture<PublishResponse>> waiting = new ArrayList<>();
        for (int i = 20; i <= 20 + BUFFER; i++) {
          waiting.add(async.publish(ledgerEntry("entry-" + i + ";")));
        }
        Awaitility.await()
            .atMost(WAIT)
            .until(() -> waiting.stream().anyMatch(ListenableFuture::isDone));
        List<ListenableFuture<PublishResponse>> refused =
            waiting.stream().filter(ListenableFuture::isDone).toList();
        assertThat(refused).as("refused at once").hasSize(1);
        assertThatThrownBy(() -> refused.get(0).get())
            .cause()
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                  assertThat(e.getStatus().getDescription()).contains("outgoing buffer is full");
                });
        String refusedEntry = "entry-" + (20 + waiting.indexOf(refused.get(0)));

        tier = startTier(String.valueOf(port), data);
        for (int i = 0; i <= BUFFER; i++) {
          if (waiting.get(i) != refused.get(0)) {
            waiting.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            acknowledged.add("entry-" + (20 + i));
          }
        }
        for (int i = 21 + BUFFER; i < 31 + BUFFER; i++) {
          publish(daprd, "ledger", "entries", "entry-" + i + ";");
          acknowledged.add("entry-" + i);
        }

        Awaitility.await()
            .atMost(WAIT)
            .until(() -> receivedEntries(stream).containsAll(acknowledged));
        assertThat(receivedEntries(stream)).doesNotContain(refusedEntry);
      }
    } finally {
      tier.close();
    }
  }

  private SidecarProcess startTier(String port, Path data) throws Exception {
    SidecarProcess tier =
        SidecarProcess.launch(
            List.of(
                "--socket-folder",
                folder.toString(),
                "--name",
                "tier",
                "--mqtt-port",
                port,
                "--data-dir",
                data.toString()));
    tier.awaitLine(Pattern.compile("socket listening on"), WAIT);
    return tier;
  }
}
