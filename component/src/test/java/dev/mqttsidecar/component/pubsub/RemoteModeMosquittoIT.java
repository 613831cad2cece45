package dev.mqttsidecar.component.pubsub;

import static dev.mqttsidecar.component.pubsub.RemoteModeIT.awaitSubscribed;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.component;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.dataflow.Mosquitto;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote mode against Debian's Mosquitto, over TLS with the CA given inline as PEM and a username
 * and password: Publish on the component reaches a PullMessages stream through Mosquitto; a state
 * store falls back to last-write-wins, since Mosquitto has no state service.
 */
class RemoteModeMosquittoIT {
  @TempDir Path folder;

  @Test
  void pubSubWorksThroughMosquittoOverTls() throws Exception {
    assumeTrue(Mosquitto.installed(), "no " + Mosquitto.BINARY + " (Debian package mosquitto)");
    TestPki pki = TestPki.create(Files.createDirectories(folder.resolve("pki")));
    try (Mosquitto mosquitto =
            Mosquitto.start(Files.createDirectories(folder.resolve("mosquitto")), pki);
        SidecarProcess sidecar = SidecarProcess.start(folder, "edge", "--no-broker");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("edge.sock"))) {
      daprd.initPubSub(
          component(
              "telemetry",
              Map.of(
                  "url",
                  "ssl://localhost:" + mosquitto.tlsPort,
                  "caCert",
                  Files.readString(pki.ca().cert()),
                  "username",
                  Mosquitto.USER,
                  "password",
                  Mosquitto.PASSWORD)));
      try (DaprStream stream = DaprStream.open(daprd, "telemetry", "readings", Map.of())) {
        awaitSubscribed(sidecar, "readings");
        publish(daprd, "telemetry", "readings", "21.5C");
        PullMessagesResponse message = stream.next(Duration.ofSeconds(20));
        assertThat(message.getTopicName()).isEqualTo("readings");
        assertThat(message.getData().toStringUtf8()).contains("21.5C");
        stream.ack(message);
      }
      assertThat(
              daprd.initState(
                  new ComponentYaml(
                      "state",
                      "state.mqtt-sidecar",
                      Map.of(
                          "url", "tcp://127.0.0.1:" + mosquitto.port,
                          "username", Mosquitto.USER,
                          "password", Mosquitto.PASSWORD))))
          .as("last-write-wins: no ETags, no transactions")
          .doesNotContain("ETAG", "TRANSACTIONAL");
      assertThat(sidecar.output()).doesNotContain(Mosquitto.PASSWORD);
    }
  }
}
