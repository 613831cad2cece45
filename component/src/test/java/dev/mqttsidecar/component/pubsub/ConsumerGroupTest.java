package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.component.testing.FakeDaprd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Consumer groups: replicas compete, apps fan out, groups outlive their streams, instances are
 * apart.
 */
class ConsumerGroupTest extends PubSubTestBase {

  @Test
  void replicasOfOneAppCompeteEachMessageGoesToExactlyOne() throws Exception {
    String pubsub = init(component());
    try (DaprStream a = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null);
        DaprStream b = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null)) {
      awaitSubscribers("orders", 2);
      for (int i = 0; i < 40; i++) {
        publishEvent(pubsub, "orders", "order-" + i);
      }
      Awaitility.await().atMost(WAIT).until(() -> a.handled().size() + b.handled().size() >= 40);
      Thread.sleep(QUIET.toMillis());
      List<String> all = new ArrayList<>();
      a.handled().forEach(m -> all.add(eventData(m.getData())));
      b.handled().forEach(m -> all.add(eventData(m.getData())));
      assertThat(all).hasSize(40).doesNotHaveDuplicates();
      assertThat(a.handled()).as("replica a got a share").isNotEmpty();
      assertThat(b.handled()).as("replica b got a share").isNotEmpty();
    }
  }

  @Test
  void replicasOnTwoDaprdsSharingTheSocketCompeteAndNeitherGoesSilent() throws Exception {
    // Two replicas of one app on one machine: two daprd connections, one component name, one
    // consumerID. Their streams must be two members of one group, not one session taken over.
    try (FakeDaprd daprdB = new FakeDaprd(sidecar.socket())) {
      daprd().initPubSub(component().with("consumerID", "app"));
      daprdB.initPubSub(component().with("consumerID", "app"));
      try (DaprStream a = DaprStream.open(daprd(), "mqtt-pubsub", "orders", Map.of(), m -> null);
          DaprStream b = DaprStream.open(daprdB, "mqtt-pubsub", "orders", Map.of(), m -> null)) {
        awaitSubscribers("orders", 2);
        for (int round = 0; round < 2; round++) {
          for (int i = 0; i < 20; i++) {
            publishEvent("mqtt-pubsub", "orders", "order-" + round + "-" + i);
          }
          int expected = 20 * (round + 1);
          Awaitility.await()
              .atMost(WAIT)
              .until(() -> a.handled().size() + b.handled().size() >= expected);
        }
        Thread.sleep(QUIET.toMillis());
        assertThat(a.handled().size() + b.handled().size()).isEqualTo(40);
        assertThat(a.handled()).as("replica a keeps receiving").isNotEmpty();
        assertThat(b.handled()).as("replica b keeps receiving").isNotEmpty();
        assertThat(a.endStatus(Duration.ZERO)).isNull();
      }
    }
  }

  @Test
  void differentConsumerGroupsEachReceiveEveryMessage() throws Exception {
    String appA = init(component().withName("pubsub-a").with("consumerID", "app-a"));
    String appB = init(component().withName("pubsub-b").with("consumerID", "app-b"));
    try (DaprStream a = DaprStream.open(daprd(), appA, "orders", Map.of(), m -> null);
        DaprStream b = DaprStream.open(daprd(), appB, "orders", Map.of(), m -> null)) {
      awaitSubscribers("orders", 2);
      for (int i = 0; i < 10; i++) {
        publishEvent(appA, "orders", "order-" + i);
      }
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> a.handled().size() == 10 && b.handled().size() == 10);
      assertThat(b.handled())
          .extracting(m -> eventData(m.getData()))
          .containsExactlyElementsOf(
              a.handled().stream().map(m -> eventData(m.getData())).toList());
    }
  }

  @Test
  void twoAppsSharingTheSocketAndComponentNameEachReceiveEveryMessage() throws Exception {
    // Each daprd Inits the same Component YAML with its own app id as consumerID, both before
    // either subscribes: each connection keeps its own instance.
    try (FakeDaprd daprdB = new FakeDaprd(sidecar.socket())) {
      daprd().initPubSub(component().with("consumerID", "app-a"));
      daprdB.initPubSub(component().with("consumerID", "app-b"));
      try (DaprStream a = DaprStream.open(daprd(), "mqtt-pubsub", "orders", Map.of(), m -> null);
          DaprStream b = DaprStream.open(daprdB, "mqtt-pubsub", "orders", Map.of(), m -> null)) {
        awaitSubscribers("orders", 2);
        for (int i = 0; i < 5; i++) {
          publishEvent("mqtt-pubsub", "orders", "order-" + i);
        }
        Awaitility.await()
            .atMost(WAIT)
            .until(() -> a.handled().size() == 5 && b.handled().size() == 5);
        assertThat(a.endStatus(Duration.ZERO)).as("app a's stream still open").isNull();
      }
    }
  }

  @Test
  void aConsumerGroupKeepsMessagesWhileNoReplicaIsConnected() throws Exception {
    String pubsub = init(component());
    DaprStream first = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null);
    awaitSubscribers("orders", 1);
    publishEvent(pubsub, "orders", "before");
    Awaitility.await().atMost(WAIT).until(() -> first.handled().size() == 1);
    first.cancel();
    awaitSubscribers("orders", 0);
    for (int i = 0; i < 5; i++) {
      publishEvent(pubsub, "orders", "offline-" + i);
    }
    try (DaprStream second = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null)) {
      Awaitility.await().atMost(WAIT).until(() -> second.handled().size() == 5);
      assertThat(second.handled())
          .extracting(m -> eventData(m.getData()))
          .containsExactly("offline-0", "offline-1", "offline-2", "offline-3", "offline-4");
    }
  }

  @Test
  void aCleanSessionGroupEndsWithItsLastStream() throws Exception {
    String pubsub = init(component().with("cleanSession", "true"));
    DaprStream first = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null);
    awaitSubscribers("orders", 1);
    first.cancel();
    awaitSubscribers("orders", 0);
    publishEvent(pubsub, "orders", "nobody-listens");
    try (DaprStream second = DaprStream.open(daprd(), pubsub, "orders", Map.of())) {
      awaitSubscribers("orders", 1);
      publishEvent(pubsub, "orders", "live");
      PullMessagesResponse m = second.next(WAIT);
      assertThat(eventData(m.getData())).isEqualTo("live");
    }
  }

  @Test
  void instancesHaveSeparateSettingsAndGroups() throws Exception {
    // Same consumerID, different component names: separate groups, each sees every message.
    String one = init(component().withName("one").with("topicPrefix", "site/"));
    String two =
        init(
            component().withName("two").with("topicPrefix", "site/").with("cloudEvents", "binary"));
    try (DaprStream a = DaprStream.open(daprd(), one, "orders", Map.of(), m -> null);
        DaprStream b = DaprStream.open(daprd(), two, "orders", Map.of(), m -> null)) {
      awaitSubscribers("site/orders", 2);
      publishEvent(one, "orders", "from-one");
      publishEvent(two, "orders", "from-two");
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> a.handled().size() == 2 && b.handled().size() == 2);
      assertThat(a.handled())
          .extracting(m -> eventData(m.getData()))
          .containsExactlyInAnyOrder("from-one", "from-two");
      assertThat(b.handled())
          .extracting(m -> eventData(m.getData()))
          .containsExactlyInAnyOrder("from-one", "from-two");
    }
    // An instance without the prefix does not see them.
    String plain = init(component().withName("plain"));
    try (DaprStream c = DaprStream.open(daprd(), plain, "orders", Map.of())) {
      awaitSubscribers("orders", 1);
      publishEvent(one, "orders", "prefixed");
      assertThat(c.poll(QUIET)).isNull();
    }
  }
}
