package dev.mqttsidecar.component.pubsub;

import static dev.mqttsidecar.component.pubsub.RemoteModeIT.awaitSubscribed;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.component;
import static dev.mqttsidecar.component.pubsub.RemoteModeIT.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.JwtIssuer;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote-mode connection authenticated by a JWT read from a file, as a Kubernetes service-account
 * token is: the broker tier accepts a token only until its {@code exp}, the file gets a new token
 * while the sidecar is connected, and the sidecar renews its connection with it before the old one
 * expires, so pub/sub goes on past the first token's expiry without the tier cutting it off.
 */
class RemoteTokenRenewalIT {
  private static final Duration FIRST_TOKEN_LIFE = Duration.ofSeconds(10);
  private static final String SUBJECT = "system:serviceaccount:shop:orders";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path folder;

  @Test
  void aRenewedTokenFileKeepsTheConnectionPastTheOldTokensExpiry() throws Exception {
    JwtIssuer issuer = JwtIssuer.create("tier");
    Path token = folder.resolve("token");
    Instant firstExpiry = Instant.now().plus(FIRST_TOKEN_LIFE);
    Files.writeString(token, issuer.sign(SUBJECT, firstExpiry));

    try (SidecarProcess tier = issuer.startTokenOnlyBroker(folder, "tier");
        SidecarProcess remote = SidecarProcess.start(folder, "remote", "--no-broker");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("remote.sock"))) {
      String url = "tcp://127.0.0.1:" + tier.mqttPort();
      daprd.initPubSub(component("orders", Map.of("url", url, "tokenFile", token.toString())));
      try (DaprStream stream = DaprStream.open(daprd, "orders", "placed", Map.of())) {
        awaitSubscribed(remote, "placed");
        publish(daprd, "orders", "placed", "with-the-first-token");
        stream.ack(stream.next(WAIT));

        // The service-account token is rotated on disk, as the kubelet does.
        Files.writeString(token, issuer.sign(SUBJECT, Instant.now().plus(Duration.ofHours(1))));
        remote.awaitLine(Pattern.compile("token file renewed"), WAIT);
        awaitPast(firstExpiry.plusSeconds(1));

        publish(daprd, "orders", "placed", "after-the-first-token-expired");
        PullMessagesResponse late = stream.next(WAIT);
        assertThat(late.getData().toStringUtf8()).contains("after-the-first-token-expired");
        stream.ack(late);
      }
      assertThat(remote.output())
          .as("renewed before the tier could cut the connection off")
          .doesNotContain(" lost " + url);
    }
  }

  /** Waits, bounded, until the clock has passed {@code instant}. */
  private static void awaitPast(Instant instant) {
    org.awaitility.Awaitility.await()
        .atMost(FIRST_TOKEN_LIFE.plus(WAIT))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Instant.now().isAfter(instant));
  }
}
