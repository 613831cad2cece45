package dev.mqttsidecar.component;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: the retained messages a new subscription gets were read from the retained store a
 * batch at a time as the client took them, and only the batch in the session's queue was stored.
 * {@code kill -9} after SUBACK and before the last batch lost the rest: after the restart the
 * session was present, its subscription too, so the client never subscribed again and never got
 * them. Found by the session life-cycle model (a crash right after a SUBSCRIBE that matched one
 * retained message). Here the client takes one message at a time and acknowledges none, so the
 * replay is certain to be unfinished when the process is killed.
 */
class RetainedReplayAfterKillIT {
  private static final int RETAINED = 300; // several batches of the replay

  @TempDir Path folder;

  @ParameterizedTest
  @ValueSource(strings = {"fsync", "periodic"})
  void everyRetainedMessageOfAGrantedSubscriptionArrivesAfterKillDashNine(String durability)
      throws Exception {
    Path data = folder.resolve("data-" + durability);
    try (SidecarProcess sidecar = start(data, durability)) {
      Mqtt5BlockingClient publisher = sidecar.mqtt5Client("publisher");
      publisher.connect();
      List<CompletableFuture<?>> acks = new ArrayList<>(RETAINED);
      for (int i = 0; i < RETAINED; i++) {
        acks.add(
            publisher
                .toAsync()
                .publishWith()
                .topic("replay/" + i)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload(("value " + i).getBytes(UTF_8))
                .send());
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      publisher.disconnect();

      Mqtt5BlockingClient device = sidecar.mqtt5Client("device");
      try (Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL, true)) {
        device
            .connectWith()
            .cleanStart(false)
            .sessionExpiryInterval(3600)
            .restrictions()
            .receiveMaximum(1)
            .applyRestrictions()
            .send();
        device.subscribeWith().topicFilter("replay/#").qos(MqttQos.AT_LEAST_ONCE).send();
        // The first one arrives and is never acknowledged: the rest wait.
        assertThat(publishes.receive(10, TimeUnit.SECONDS)).isPresent();
        sidecar.kill();
      }
    }

    try (SidecarProcess sidecar = start(data, durability)) {
      Mqtt5BlockingClient device = sidecar.mqtt5Client("device");
      Set<String> topics = new TreeSet<>();
      try (Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL)) {
        boolean present =
            device
                .connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .send()
                .isSessionPresent();
        assertThat(present).as("Session Present after the restart").isTrue();
        while (topics.size() < RETAINED) {
          Optional<Mqtt5Publish> p = publishes.receive(10, TimeUnit.SECONDS);
          if (p.isEmpty()) {
            break;
          }
          topics.add(p.get().getTopic().toString());
        }
      }
      device.disconnect();
      assertThat(topics)
          .as("distinct retained topics received after the restart (some may come twice)")
          .hasSize(RETAINED);
    }
  }

  private SidecarProcess start(Path data, String durability) throws Exception {
    return SidecarProcess.start(
        folder, "replay", "--data-dir", data.toString(), "--durability", durability);
  }
}
