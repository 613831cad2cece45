package dev.mqttsidecar.component.state;

import static dev.mqttsidecar.component.state.StateSocketTestBase.setRequest;
import static dev.mqttsidecar.component.state.StateSocketTestBase.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.dataflow.Mosquitto;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last-write-wins state store of remote mode against Debian's Mosquitto, over its life: bulk
 * calls, a TTL that ends on the broker (MQTT 5 message expiry) as well as in the local copy, and a
 * restarted sidecar that rebuilds its copy from the broker's retained messages, writes of another
 * sidecar included.
 */
class RemoteLastWriteWinsLifecycleIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path folder;

  @Test
  void bulkTtlAndARestartThatRebuildsTheCopyFromTheBroker() throws Exception {
    assumeTrue(Mosquitto.installed(), "no " + Mosquitto.BINARY + " (Debian package mosquitto)");
    TestPki pki = TestPki.create(Files.createDirectories(folder.resolve("pki")));
    try (Mosquitto mosquitto =
        Mosquitto.start(Files.createDirectories(folder.resolve("mosquitto")), pki)) {
      ComponentYaml store =
          new ComponentYaml(
              "orders",
              "state.mqtt-sidecar",
              Map.of(
                  "url",
                  "tcp://127.0.0.1:" + mosquitto.port,
                  "username",
                  Mosquitto.USER,
                  "password",
                  Mosquitto.PASSWORD,
                  "stateService",
                  "off"));

      try (SidecarProcess first = SidecarProcess.start(folder, "first", "--no-broker");
          FakeDaprd daprd = new FakeDaprd(folder.resolve("first.sock"))) {
        daprd.initState(store);
        daprd
            .state("orders")
            .bulkSet(
                State.BulkSetRequest.newBuilder()
                    .addItems(setRequest("a", utf8("1"), null))
                    .addItems(setRequest("b", utf8("2"), null))
                    .addItems(setRequest("c", utf8("3"), null))
                    .build());
        daprd
            .state("orders")
            .bulkDelete(
                State.BulkDeleteRequest.newBuilder()
                    .addItems(State.DeleteRequest.newBuilder().setKey("c"))
                    .build());
        assertThat(bulkGet(daprd, "a", "b", "c")).containsExactly(entry("a", "1"), entry("b", "2"));

        daprd
            .state("orders")
            .set(
                setRequest("short-lived", utf8("soon gone"), null).toBuilder()
                    .putMetadata("ttlInSeconds", "2")
                    .build());
        assertThat(get(daprd, "short-lived")).isEqualTo("soon gone");
        Awaitility.await().atMost(WAIT).until(() -> get(daprd, "short-lived").isEmpty());
      }

      // Another sidecar writes while the first is down; the first comes back with an empty copy.
      try (SidecarProcess other = SidecarProcess.start(folder, "other", "--no-broker");
          FakeDaprd daprd = new FakeDaprd(folder.resolve("other.sock"))) {
        daprd.initState(store);
        daprd.state("orders").set(setRequest("b", utf8("2-by-other"), null));
      }
      try (SidecarProcess restarted = SidecarProcess.start(folder, "first", "--no-broker");
          FakeDaprd daprd = new FakeDaprd(folder.resolve("first.sock"))) {
        daprd.initState(store);
        assertThat(bulkGet(daprd, "a", "b", "c", "short-lived"))
            .as("rebuilt from the broker: the other sidecar's write, and the TTL ended there too")
            .containsExactly(entry("a", "1"), entry("b", "2-by-other"));
      }
    }
  }

  private static String get(FakeDaprd daprd, String key) {
    return daprd
        .state("orders")
        .get(State.GetRequest.newBuilder().setKey(key).build())
        .getData()
        .toStringUtf8();
  }

  /** The keys that have a value, with it, in key order. */
  private static List<Map.Entry<String, String>> bulkGet(FakeDaprd daprd, String... keys) {
    State.BulkGetRequest.Builder request = State.BulkGetRequest.newBuilder();
    for (String key : keys) {
      request.addItems(State.GetRequest.newBuilder().setKey(key));
    }
    Map<String, String> found = new TreeMap<>();
    for (State.BulkStateItem item : daprd.state("orders").bulkGet(request.build()).getItemsList()) {
      if (!item.getData().isEmpty()) {
        found.put(item.getKey(), item.getData().toStringUtf8());
      }
    }
    return List.copyOf(found.entrySet());
  }

  private static Map.Entry<String, String> entry(String key, String value) {
    return Map.entry(key, value);
  }
}
