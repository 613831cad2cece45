package dev.mqttsidecar.component.dataflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.component.testing.JwtIssuer;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataflow endpoint authenticated by a JWT read from a file (method {@code Jwt}): the upstream, a
 * broker tier that accepts only signed tokens and only until their {@code exp}, gets the first
 * token; the file then gets a new one, and the endpoint renews its connection with it before the
 * first expires, so forwarding goes on past that expiry.
 */
class EndpointTokenRenewalIT {
  private static final Duration FIRST_TOKEN_LIFE = Duration.ofSeconds(15);
  private static final String SUBJECT = "system:serviceaccount:edge:forwarder";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path folder;

  @Test
  void theEndpointRenewsItsConnectionWhenTheTokenFileIsRotated() throws Exception {
    JwtIssuer issuer = JwtIssuer.create("upstream");
    Path token = folder.resolve("token");
    Instant firstExpiry = Instant.now().plus(FIRST_TOKEN_LIFE);
    Files.writeString(token, issuer.sign(SUBJECT, firstExpiry));

    try (SidecarProcess upstream = issuer.startTokenOnlyBroker(folder, "upstream")) {
      Path edgeConfig =
          Files.writeString(
              folder.resolve("edge.yaml"),
              """
              storage: { durability: memory }
              endpoints:
                - name: cloud
                  host: 127.0.0.1
                  port: %d
                  authentication: { method: Jwt, tokenFile: %s }
              dataflows:
                - name: up
                  source: { topics: ["devices/#"] }
                  destination: { endpoint: cloud, topic: "edge/${2}" }
              """
                  .formatted(upstream.mqttPort(), token));
      try (SidecarProcess edge =
          SidecarProcess.start(folder, "edge", "--config", edgeConfig.toString())) {
        edge.awaitLine(Pattern.compile("endpoint cloud: connected"), WAIT);
        Mqtt5BlockingClient cloudApp = client("cloud-app", upstream.mqttPort());
        cloudApp
            .connectWith()
            .simpleAuth()
            .password(issuer.sign(SUBJECT, Instant.now().plus(Duration.ofHours(1))).getBytes(UTF_8))
            .applySimpleAuth()
            .send();
        Mqtt5BlockingClient device = client("device", edge.mqttPort());
        device.connect();
        try (Mqtt5Publishes received = cloudApp.publishes(MqttGlobalPublishFilter.ALL)) {
          cloudApp.subscribeWith().topicFilter("edge/#").qos(MqttQos.AT_LEAST_ONCE).send();
          publish(device, "with-the-first-token");
          assertThat(payload(received.receive(WAIT.toSeconds(), TimeUnit.SECONDS)))
              .isEqualTo("with-the-first-token");

          // The service-account token is rotated on disk, as the kubelet does.
          Files.writeString(token, issuer.sign(SUBJECT, Instant.now().plus(Duration.ofHours(1))));
          edge.awaitLine(Pattern.compile("endpoint cloud: token file renewed"), WAIT);
          assertThat(Instant.now())
              .as("renewed before the first token expired")
              .isBefore(firstExpiry);
          Awaitility.await()
              .atMost(WAIT)
              .pollInterval(Duration.ofMillis(200))
              .until(() -> Instant.now().isAfter(firstExpiry.plusSeconds(1)));

          publish(device, "after-the-first-token-expired");
          assertThat(payload(received.receive(WAIT.toSeconds(), TimeUnit.SECONDS)))
              .isEqualTo("after-the-first-token-expired");
        }
        device.disconnect();
        cloudApp.disconnect();
      }
    }
  }

  private static Mqtt5BlockingClient client(String id, int port) {
    return Mqtt5Client.builder()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(port)
        .buildBlocking();
  }

  private static void publish(Mqtt5BlockingClient device, String text) {
    device
        .publishWith()
        .topic("devices/d1")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(text.getBytes(UTF_8))
        .send();
  }

  private static String payload(Optional<Mqtt5Publish> p) {
    return p.map(m -> new String(m.getPayloadAsBytes(), UTF_8)).orElse("(nothing)");
  }
}
