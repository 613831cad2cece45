package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where Netty's native epoll library cannot load (a platform the jar carries no native for), the
 * sidecar still serves both MQTT and daprd, on Java's NIO. Forced here with Netty's own switch.
 */
class NioFallbackIT {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path folder;

  @Test
  void withoutEpollMqttAndTheComponentSocketWorkOnNio() throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-Dio.netty.transport.noNative=true",
            "-jar",
            SidecarProcess.JAR.toAbsolutePath().toString(),
            "--socket-folder",
            folder.toString(),
            "--name",
            "nio",
            "--mqtt-port",
            "0",
            "--durability",
            "memory");
    try (SidecarProcess sidecar = SidecarProcess.launchCommand(command, Map.of())) {
      sidecar.awaitLine(
          Pattern.compile("Native epoll unavailable, MQTT and the component socket use Java NIO"),
          START);
      sidecar.awaitLine(Pattern.compile("socket listening on \\S+nio\\.sock .*Java NIO\\)"), START);

      // daprd's side: Init, then a write and a read through the socket.
      try (FakeDaprd daprd = new FakeDaprd(folder.resolve("nio.sock"))) {
        ComponentYaml state = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
        assertThat(daprd.initState(state)).contains("ETAG");
        daprd
            .state(state.name())
            .set(
                State.SetRequest.newBuilder()
                    .setKey("app||greeting")
                    .setValue(ByteString.copyFromUtf8("hello"))
                    .build());
        assertThat(
                daprd
                    .state(state.name())
                    .get(State.GetRequest.newBuilder().setKey("app||greeting").build())
                    .getData()
                    .toStringUtf8())
            .isEqualTo("hello");
      }

      // A device's side: a message goes through the broker.
      Mqtt5BlockingClient device = sidecar.mqtt5Client("device");
      device.connect();
      try (Mqtt5BlockingClient.Mqtt5Publishes inbox =
          device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
        device.subscribeWith().topicFilter("nio/test").qos(MqttQos.AT_LEAST_ONCE).send();
        device
            .publishWith()
            .topic("nio/test")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(new byte[] {42})
            .send();
        Mqtt5Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(received.getPayloadAsBytes()).containsExactly(42);
      }
      device.disconnect();
    }
  }
}
