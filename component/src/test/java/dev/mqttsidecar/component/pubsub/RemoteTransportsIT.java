package dev.mqttsidecar.component.pubsub;

import static dev.mqttsidecar.component.pubsub.RemoteModeIT.awaitSubscribed;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.component;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote mode over each transport of {@code url} against a broker tier with one listener per
 * transport: WebSocket ({@code ws://}), WebSocket over TLS ({@code wss://}, the CA given inline),
 * and TLS with a required client certificate ({@code ssl://}, certificate and key inline), which
 * turns a component without a certificate away.
 */
class RemoteTransportsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path folder;

  @Test
  void pubSubOverWebSocketsTlsAndClientCertificates() throws Exception {
    TestPki pki = TestPki.create(Files.createDirectories(folder.resolve("pki")));
    String tls = "tls: { cert: '%s', key: '%s', clientCa: '%s', requireClientCert: %s }";
    Path config =
        Files.writeString(
            folder.resolve("tier.yaml"),
            "socket: { folder: sockets, name: tier }\n"
                + "storage: { durability: memory }\n"
                + "listeners:\n"
                + "  - { name: ws, host: 127.0.0.1, port: 0, protocol: websocket }\n"
                + "  - { name: wss, host: 127.0.0.1, port: 0, protocol: websocket, "
                + tlsOf(tls, pki, false)
                + " }\n"
                + "  - { name: mtls, host: 127.0.0.1, port: 0, "
                + tlsOf(tls, pki, true)
                + " }\n");
    try (SidecarProcess tier = SidecarProcess.launch(List.of("--config", config.toString()));
        SidecarProcess remote = SidecarProcess.start(folder, "remote", "--no-broker");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("remote.sock"))) {
      String ca = Files.readString(pki.ca().cert());
      int mtls = port(tier, "mtls");

      roundTrip(remote, daprd, "over-ws", Map.of("url", "ws://127.0.0.1:" + port(tier, "ws")));
      roundTrip(
          remote,
          daprd,
          "over-wss",
          Map.of("url", "wss://localhost:" + port(tier, "wss"), "caCert", ca));
      Map<String, String> withCertificate = new HashMap<>();
      withCertificate.put("url", "ssl://localhost:" + mtls);
      withCertificate.put("caCert", ca);
      withCertificate.put("clientCert", Files.readString(pki.device1().cert()));
      withCertificate.put("clientKey", Files.readString(pki.device1().key()));
      roundTrip(remote, daprd, "over-mtls", withCertificate);

      daprd.initPubSub(
          component("no-cert", Map.of("url", "ssl://localhost:" + mtls, "caCert", ca)));
      remote.awaitLine(Pattern.compile("cannot connect to ssl://localhost:" + mtls + ": .+"), WAIT);
    }
  }

  private static String tlsOf(String format, TestPki pki, boolean requireClientCert) {
    return String.format(
        format, pki.server().cert(), pki.server().key(), pki.ca().cert(), requireClientCert);
  }

  /** Publish on component {@code name} reaches a PullMessages stream of the same component. */
  private static void roundTrip(
      SidecarProcess remote, FakeDaprd daprd, String name, Map<String, String> metadata)
      throws Exception {
    daprd.initPubSub(component(name, metadata));
    String topic = "readings-" + name; // a topic of its own: the log line tells it is subscribed
    try (DaprStream stream = DaprStream.open(daprd, name, topic, Map.of())) {
      awaitSubscribed(remote, topic);
      publish(daprd, name, topic, "via-" + name);
      PullMessagesResponse message = stream.next(WAIT);
      assertThat(message.getData().toStringUtf8()).as(name).contains("via-" + name);
      stream.ack(message);
    }
  }

  private static int port(SidecarProcess tier, String listener) throws InterruptedException {
    Pattern line =
        Pattern.compile(
            "MQTT broker listening on \\S+:(\\d+) \\(listener " + Pattern.quote(listener) + ",");
    return Integer.parseInt(tier.awaitLine(line, WAIT).group(1));
  }
}
