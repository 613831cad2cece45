package dev.mqttsidecar.component.aio;

import static dev.mqttsidecar.component.aio.AioClient.array;
import static dev.mqttsidecar.component.aio.AioClient.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Azure IoT Operations state store protocol against a real sidecar process, through a real MQTT
 * 5 client: the documented requests get the documented answers, and the keys are the same keys the
 * Dapr state API sees.
 */
class AioStateProtocolIT {
  @TempDir Path folder;

  @Test
  void theDocumentedCommandsGetTheDocumentedAnswers() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "aio");
        AioClient aio = new AioClient(sidecar.mqtt5Client("aio-client"))) {
      // The protocol document's own example byte strings, verbs in lower case as it writes them.
      assertThat(aio.call("*3\r\n$3\r\nset\r\n$7\r\nSETKEY2\r\n$6\r\nVALUE5\r\n", true))
          .isEqualTo("+OK\r\n");
      assertThat(aio.call("*2\r\n$3\r\nget\r\n$7\r\nSETKEY2\r\n", false))
          .isEqualTo("$6\r\nVALUE5\r\n");
      assertThat(aio.call("*3\r\n$4\r\nvdel\r\n$7\r\nSETKEY2\r\n$3\r\nABC\r\n", false))
          .isEqualTo(":-1\r\n");
      assertThat(aio.call("*2\r\n$3\r\ndel\r\n$7\r\nSETKEY2\r\n", false)).isEqualTo(":1\r\n");
      assertThat(aio.call("*2\r\n$3\r\nGET\r\n$7\r\nSETKEY2\r\n", false)).isEqualTo("$-1\r\n");
      assertThat(aio.call("*2\r\n$3\r\nDEL\r\n$7\r\nSETKEY2\r\n", false)).isEqualTo(":0\r\n");

      // NX: only a new key.
      assertThat(aio.set(List.of("lock", "client1", "NX"))).isEqualTo("+OK\r\n");
      assertThat(aio.set(List.of("lock", "client2", "NX"))).isEqualTo(":-1\r\n");
      // NEX: a new key, or the same value again (renewing a lock); not another owner's.
      assertThat(aio.set(List.of("lock", "client1", "NEX", "PX", "60000"))).isEqualTo("+OK\r\n");
      assertThat(aio.set(List.of("lock", "client2", "NEX", "PX", "60000"))).isEqualTo(":-1\r\n");
      // VEQ: only over the given value.
      assertThat(aio.set(List.of("lock", "client3", "VEQ", "client2"))).isEqualTo(":-1\r\n");
      assertThat(aio.set(List.of("lock", "client3", "VEQ", "client1"))).isEqualTo("+OK\r\n");
      assertThat(aio.call(array("GET", "lock"), false)).isEqualTo("$7\r\nclient3\r\n");
      // VDEL deletes only the value it names.
      assertThat(aio.call(array("VDEL", "lock", "client3"), false)).isEqualTo(":1\r\n");

      // PX: the key is gone once its time is up.
      assertThat(aio.set(List.of("short-lived", "v", "PX", "300"))).isEqualTo("+OK\r\n");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> aio.call(array("GET", "short-lived"), false).equals("$-1\r\n"));
    }
  }

  @Test
  void badRequestsGetTheDocumentedErrorsAndTheBrokerCarriesOn() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "aio");
        AioClient aio = new AioClient(sidecar.mqtt5Client("aio-client"))) {
      assertThat(aio.call("*2\r\n$3\r\nGET\r\n$99\r\nkey\r\n", false))
          .isEqualTo("-ERR syntax error\r\n");
      assertThat(aio.call("not resp at all", false)).isEqualTo("-ERR syntax error\r\n");
      assertThat(aio.call(array("FLUSHALL"), false)).isEqualTo("-ERR unknown command\r\n");
      assertThat(aio.call(array("GET", "a", "b"), false))
          .isEqualTo("-ERR wrong number of arguments\r\n");
      assertThat(aio.call(array("GET", ""), false)).isEqualTo("-ERR the key length is zero\r\n");
      assertThat(aio.call(array("SET", "k", "v"), false)).isEqualTo("-ERR missing timestamp\r\n");
      assertThat(aio.call(array("SET", "k", "v"), "yesterday", null))
          .isEqualTo("-ERR malformed timestamp\r\n");
      long farAhead = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
      assertThat(aio.call(array("SET", "k", "v"), farAhead + ":0:c", null))
          .startsWith("-ERR the request timestamp is too far in the future");
      assertThat(aio.call(array("SET", "k", "v"), AioClient.now(), "1:0:lock"))
          .startsWith("-ERR fencing tokens (__ft) are not supported");
      assertThat(aio.call(array("SET", "k", "v", "PX", "soon"), true))
          .isEqualTo("-ERR syntax error\r\n");
      // A key that is not UTF-8 cannot be a topic level.
      byte[] badKey = {
        '*',
        '2',
        '\r',
        '\n',
        '$',
        '3',
        '\r',
        '\n',
        'G',
        'E',
        'T',
        '\r',
        '\n',
        '$',
        '1',
        '\r',
        '\n',
        (byte) 0xFF,
        '\r',
        '\n'
      };
      assertThat(aio.call(badKey, null, null)).startsWith("-ERR the key is not valid UTF-8");
      // Nothing was written, and the service still answers.
      assertThat(aio.call(array("GET", "k"), false)).isEqualTo("$-1\r\n");
    }
  }

  @Test
  void aValueSetThroughTheProtocolIsReadThroughTheDaprStateApiAndBack() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "aio");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("aio.sock"));
        AioClient aio = new AioClient(sidecar.mqtt5Client("aio-client"))) {
      daprd.initState(new ComponentYaml("statestore", "state.mqtt-sidecar", Map.of()));
      assertThat(aio.set(List.of("thermostat/setPoint", "21.5"))).isEqualTo("+OK\r\n");
      State.GetResponse seen =
          daprd
              .state("statestore")
              .get(State.GetRequest.newBuilder().setKey("thermostat/setPoint").build());
      assertThat(seen.getData().toStringUtf8()).isEqualTo("21.5");

      daprSet(daprd, "from-dapr", "hello");
      assertThat(aio.call(array("GET", "from-dapr"), false)).isEqualTo("$5\r\nhello\r\n");
    }
  }

  @Test
  void keyNotifyReportsEveryChangeOfAKeyUntilStoppedOrDisconnected() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "aio");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("aio.sock"));
        AioClient writer = new AioClient(sidecar.mqtt5Client("writer-1"))) {
      daprd.initState(new ComponentYaml("statestore", "state.mqtt-sidecar", Map.of()));
      assertThat(writer.set(List.of("door", "closed"))).isEqualTo("+OK\r\n");
      String door = hex("door");
      double baseline;
      try (AioClient watcher = new AioClient(sidecar.mqtt5Client("watcher-1"))) {
        watcher.subscribeToNotifications();
        baseline = subscriptions(sidecar);
        assertThat(watcher.call(array("KEYNOTIFY", "door"), false)).isEqualTo("+OK\r\n");
        assertThat(watcher.call(array("KEYNOTIFY", "door"), false)).isEqualTo("+OK\r\n");
        assertThat(watcher.notification(Duration.ofMillis(500))).as("no change yet").isNull();

        // A change by a protocol client, by a Dapr app, and a deletion.
        writer.set(List.of("door", "open"));
        assertThat(watcher.notification(Duration.ofSeconds(10)))
            .isEqualTo(door + " " + array("NOTIFY", "SET", "VALUE", "open"));
        daprSet(daprd, "door", "ajar");
        assertThat(watcher.notification(Duration.ofSeconds(10)))
            .isEqualTo(door + " " + array("NOTIFY", "SET", "VALUE", "ajar"));
        writer.call(array("DEL", "door"), false);
        assertThat(watcher.notification(Duration.ofSeconds(10)))
            .isEqualTo(door + " " + array("NOTIFY", "DELETE"));

        // A TTL that runs out is no notification (the README says so).
        writer.set(List.of("door", "brief", "PX", "300"));
        assertThat(watcher.notification(Duration.ofSeconds(10)))
            .isEqualTo(door + " " + array("NOTIFY", "SET", "VALUE", "brief"));
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> writer.call(array("GET", "door"), false).equals("$-1\r\n"));
        assertThat(watcher.notification(Duration.ofMillis(500))).as("after the TTL").isNull();

        // STOP ends the watch; a second STOP finds none.
        assertThat(watcher.call(array("KEYNOTIFY", "door", "STOP"), false)).isEqualTo("+OK\r\n");
        assertThat(watcher.call(array("KEYNOTIFY", "door", "stop"), false)).isEqualTo(":0\r\n");
        writer.set(List.of("door", "closed"));
        assertThat(watcher.notification(Duration.ofMillis(500))).as("after STOP").isNull();

        assertThat(watcher.call(array("KEYNOTIFY", "door"), false)).isEqualTo("+OK\r\n");
        assertThat(subscriptions(sidecar)).isGreaterThan(baseline);
      }
      // Disconnected: the watch ends, as the protocol says (its subscriptions are gone).
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> subscriptions(sidecar) < baseline);
      try (AioClient again = new AioClient(sidecar.mqtt5Client("watcher-1"))) {
        again.subscribeToNotifications();
        writer.set(List.of("door", "open"));
        assertThat(again.notification(Duration.ofMillis(500))).as("after disconnecting").isNull();
        // Without __srcId there is no client to notify.
        assertThat(writer.call(array("KEYNOTIFY", "door"), null, null, false))
            .startsWith("-ERR KEYNOTIFY needs the user property __srcId");
      }
    }
  }

  private static void daprSet(FakeDaprd daprd, String key, String value) {
    daprd
        .state("statestore")
        .set(
            State.SetRequest.newBuilder()
                .setKey(key)
                .setValue(ByteString.copyFromUtf8(value))
                .build());
  }

  /** The broker's subscription count, from /metrics. */
  private static double subscriptions(SidecarProcess sidecar) throws Exception {
    String metrics = HttpCalls.get(sidecar.httpUri(), "/metrics").body();
    return metrics
        .lines()
        .filter(line -> line.startsWith("mqtt_subscriptions "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aClientTheRulesDoNotLetUseTheStoreIsRefused() throws Exception {
    Path config =
        Files.writeString(
            folder.resolve("mqtt-sidecar.yaml"),
            """
            socket: { folder: sockets, name: rules }
            storage: { durability: memory }
            listeners: [{ name: devices, host: 127.0.0.1, port: 0 }]
            authorization:
              rules:
                - match: { clientId: "app-*" }
                  publish: ["$state/v1/statestore/#"]
                  subscribe: ["clients/${client.id}/#"]
                - match: { clientId: "device-*" }
                  publish: ["$state/v1/other/#", "statestore/#"]
                  subscribe: ["clients/${client.id}/#"]
            """);
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--config", config.toString()));
        AioClient app = new AioClient(sidecar.mqtt5Client("app-1"));
        AioClient device = new AioClient(sidecar.mqtt5Client("device-1"))) {
      assertThat(app.set(List.of("k", "secret"))).isEqualTo("+OK\r\n");
      // Rules on the invoke topic itself do not count: only those of the store's $state topics.
      assertThatThrownBy(() -> device.publish(array("GET", "k"), null, null))
          .isInstanceOfSatisfying(
              Mqtt5PubAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
      assertThat(device.receive(Duration.ofSeconds(1))).as("no answer, no data").isEmpty();
    }
  }
}
