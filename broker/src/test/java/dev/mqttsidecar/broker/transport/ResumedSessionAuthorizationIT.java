package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A session resumed under a client id keeps only the subscriptions the client now connecting may
 * make: another user taking the id over does not inherit the first user's grants.
 */
@ExtendWith(LeakCheck.class)
class ResumedSessionAuthorizationIT {

  /** Each user may subscribe below its own name only. */
  private static final Authorizer OWN_TOPICS =
      new Authorizer() {
        @Override
        public boolean mayPublish(ClientIdentity client, String topic) {
          return true;
        }

        @Override
        public boolean maySubscribe(ClientIdentity client, String filter) {
          return client.username() != null && filter.startsWith(client.username() + "/");
        }
      };

  private static Mqtt5BlockingClient client(BrokerFixture f) {
    return f.mqtt5("shared-id").buildBlocking();
  }

  private static Mqtt5BlockingClient connect(BrokerFixture f, String username) {
    return connect(f, client(f), username);
  }

  private static Mqtt5BlockingClient connect(
      BrokerFixture f, Mqtt5BlockingClient c, String username) {
    c.connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(3600)
        .simpleAuth()
        .username(username)
        .applySimpleAuth()
        .send();
    f.track(c);
    return c;
  }

  private static void publish(BrokerFixture f, String topic) {
    f.broker().publish(Message.of(topic, topic.getBytes(UTF_8), Qos.AT_LEAST_ONCE, false)).join();
  }

  @Test
  void anotherUserResumingTheSessionLosesTheFirstUsersSubscriptions() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().authorizer(OWN_TOPICS))) {
      Mqtt5BlockingClient alice = connect(f, "alice");
      alice.subscribeWith().topicFilter("alice/#").qos(MqttQos.AT_LEAST_ONCE).send();
      alice.disconnect();

      // Alice herself resumes with her subscription intact. Each stream opens before CONNECT: the
      // client registers a stream by a task on its event loop, which reads ready input before
      // queued tasks, so a PUBLISH arriving right after publishes() could find no stream and be
      // acknowledged and dropped ("No publish flow registered").
      alice = client(f);
      try (var in = alice.publishes(MqttGlobalPublishFilter.ALL)) {
        connect(f, alice, "alice");
        publish(f, "alice/1");
        assertThat(in.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString())
            .isEqualTo("alice/1");
      }
      alice.disconnect();

      Mqtt5BlockingClient mallory = client(f);
      try (var in = mallory.publishes(MqttGlobalPublishFilter.ALL)) {
        connect(f, mallory, "mallory");
        mallory.subscribeWith().topicFilter("mallory/#").qos(MqttQos.AT_LEAST_ONCE).send();
        f.awaitSubscribers("alice/2", 0);
        publish(f, "alice/2");
        publish(f, "mallory/marker");
        // Were alice/# still part of the session, alice/2 would have come first.
        assertThat(in.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString())
            .isEqualTo("mallory/marker");
      }
    }
  }
}
