package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP publish answered 200 (QoS 1) is on disk: after {@code kill -9} of the sidecar, right
 * after the last answer, the restarted sidecar has every such message, retained ones for new
 * subscribers and queued ones for a persistent session.
 */
class HttpPublishAfterKillIT {
  private static final int MESSAGES = 200;

  @TempDir Path folder;
  @TempDir Path data;

  private SidecarProcess start() throws Exception {
    return SidecarProcess.start(
        folder, "http-kill", "--data-dir", data.toString(), "--durability", "fsync");
  }

  @Test
  void acknowledgedHttpPublishesSurviveKill9() throws Exception {
    Set<String> retainedAcknowledged = new HashSet<>();
    Set<String> queuedAcknowledged = new HashSet<>();
    Set<String> sent = new HashSet<>();
    try (SidecarProcess sidecar = start()) {
      Mqtt5BlockingClient offline = sidecar.mqtt5Client("queue-holder");
      offline.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
      offline.subscribeWith().topicFilter("queued/#").qos(MqttQos.AT_LEAST_ONCE).send();
      offline.disconnect();

      // All at once, so the kill lands while the store is busy: an answer sent before the write
      // was synced would show as a lost message.
      URI http = sidecar.httpUri();
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        answers.add(postAsync(http.resolve("/topics/retained/" + i + "?retain=true"), "m" + i));
        answers.add(postAsync(http.resolve("/topics/queued/" + i), "m" + i));
        sent.add("m" + i);
      }
      awaitAll(answers);
      sidecar.kill();
      for (int i = 0; i < MESSAGES; i++) {
        collectAcknowledged(answers.get(2 * i), "m" + i, retainedAcknowledged);
        collectAcknowledged(answers.get(2 * i + 1), "m" + i, queuedAcknowledged);
      }
    }
    // A request that got no answer at all (its connection failed on a loaded machine) was never
    // acknowledged, so it may be missing; nearly all must have been answered, though.
    assertThat(retainedAcknowledged.size() + queuedAcknowledged.size())
        .isGreaterThanOrEqualTo(2 * MESSAGES * 9 / 10);

    try (SidecarProcess restarted = start()) {
      assertThat(receive(restarted, "retained-reader", true, "retained/#"))
          .containsAll(retainedAcknowledged)
          .isSubsetOf(sent);
      assertThat(receive(restarted, "queue-holder", false, null))
          .containsAll(queuedAcknowledged)
          .isSubsetOf(sent);
    }
  }

  /** Waits until every request has an answer or has failed, without failing on either. */
  private static void awaitAll(List<CompletableFuture<HttpResponse<String>>> answers)
      throws Exception {
    CompletableFuture.allOf(
            answers.stream()
                .map(answer -> answer.handle((reply, error) -> null))
                .toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);
  }

  /** A 200 adds {@code payload}; a transport failure adds nothing; any other answer fails. */
  private static void collectAcknowledged(
      CompletableFuture<HttpResponse<String>> answer, String payload, Set<String> acknowledged) {
    if (answer.isCompletedExceptionally()) {
      return;
    }
    HttpResponse<String> reply = answer.join();
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    acknowledged.add(payload);
  }

  private static CompletableFuture<HttpResponse<String>> postAsync(URI uri, String body) {
    return HttpCalls.client()
        .sendAsync(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Connects, subscribes to {@code filter} unless null, and collects payloads until quiet. */
  private static Set<String> receive(
      SidecarProcess sidecar, String clientId, boolean cleanStart, String filter) throws Exception {
    Mqtt5BlockingClient client = sidecar.mqtt5Client(clientId);
    Set<String> payloads = new HashSet<>();
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(3600).send();
      if (filter != null) {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (payloads.size() < MESSAGES && System.nanoTime() < deadline) {
        Optional<Mqtt5Publish> next = seen.receive(5, TimeUnit.SECONDS);
        next.ifPresent(
            p -> payloads.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
      }
    } finally {
      client.disconnect();
    }
    return payloads;
  }
}
