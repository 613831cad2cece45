package dev.mqttsidecar.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.SessionInfo;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read-only inspection the web console lists sessions, statistics and retained pages from. */
class BrokerInspectorTest {

  @Test
  void sessionsComeAPageAtATimeWithWhoTheirClientIs() throws Exception {
    try (BrokerFixture fixture = BrokerFixture.start()) {
      for (String id : List.of("c-3", "c-1", "c-2")) {
        Mqtt5BlockingClient client =
            fixture.mqtt5(id).simpleAuth().username("user-" + id).applySimpleAuth().buildBlocking();
        client.connect();
        fixture.track(client);
        client.subscribeWith().topicFilter("t/" + id + "/#").send();
      }
      var inspector = fixture.broker().inspector();

      List<SessionInfo> first = inspector.sessions("", 2);
      assertThat(first).extracting(SessionInfo::clientId).containsExactly("c-1", "c-2");
      SessionInfo c1 = first.get(0);
      assertThat(c1.connected()).isTrue();
      assertThat(c1.username()).isEqualTo("user-c-1");
      assertThat(c1.protocolVersion()).isEqualTo(5);
      assertThat(c1.remoteAddress()).startsWith("127.0.0.1:");
      assertThat(c1.subscriptions()).containsExactly("t/c-1/#");
      assertThat(c1.queued()).isZero();
      assertThat(inspector.sessions("c-2", 2))
          .extracting(SessionInfo::clientId)
          .containsExactly("c-3");
      assertThat(inspector.statistics()).containsEntry("clients/connected", "3");
    }
  }

  @Test
  void inProcessSubscribersAreListedAsSuch() throws Exception {
    try (BrokerFixture fixture = BrokerFixture.start()) {
      fixture
          .broker()
          .subscribe(
              new SubscriptionRequest("stream-1", "orders/#", Qos.AT_LEAST_ONCE, 8, Duration.ZERO),
              delivery -> {});
      List<SessionInfo> all = fixture.broker().inspector().sessions("", 10);
      assertThat(all).hasSize(1);
      assertThat(all.get(0).inProcess()).isTrue();
      assertThat(all.get(0).clientId()).isEqualTo("stream-1");
      assertThat(all.get(0).subscriptions()).containsExactly("orders/#");
    }
  }

  @Test
  void retainedTopicsComeAPageAtATimeInTopicOrder() throws Exception {
    try (BrokerFixture fixture = BrokerFixture.start(BrokerConfig.builder().port(0))) {
      for (String topic : List.of("a/b/2", "a/b", "a/c", "a/b/1", "b/x")) {
        fixture
            .broker()
            .publish(
                Message.of(topic, topic.getBytes(StandardCharsets.UTF_8), Qos.AT_MOST_ONCE, true))
            .get();
      }
      var retained = fixture.broker().retained();
      assertThat(retained.topics("a/", "", 3)).containsExactly("a/b", "a/b/1", "a/b/2");
      assertThat(retained.topics("a/", "a/b/2", 3)).containsExactly("a/c");
      assertThat(retained.topics("", "a/c", 10)).containsExactly("b/x");
    }
  }
}
