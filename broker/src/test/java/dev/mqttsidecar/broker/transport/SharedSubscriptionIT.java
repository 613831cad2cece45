package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shared subscriptions $share/{group}/{filter} for 5.0 and (as Mosquitto and HiveMQ do) 3.1.1
 * clients.
 */
@ExtendWith(LeakCheck.class)
class SharedSubscriptionIT {
  private BrokerFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private int publish(String topic, String payload) throws Exception {
    return fixture
        .broker()
        .publish(Message.of(topic, payload.getBytes(UTF_8), Qos.AT_LEAST_ONCE, false))
        .get()
        .matchedSubscribers();
  }

  private static List<String> drain(Mqtt5BlockingClient.Mqtt5Publishes in)
      throws InterruptedException {
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      var p = in.receive(300, TimeUnit.MILLISECONDS);
      if (p.isEmpty()) {
        break;
      }
      got.add(new String(p.get().getPayloadAsBytes(), UTF_8));
    }
    return got;
  }

  @Test
  void eachMessageGoesToOneMemberRoundRobin() throws Exception {
    Mqtt5BlockingClient a = fixture.connect5("a");
    Mqtt5BlockingClient b = fixture.connect5("b");
    Mqtt5BlockingClient plain = fixture.connect5("plain");
    try (var inA = a.publishes(MqttGlobalPublishFilter.ALL);
        var inB = b.publishes(MqttGlobalPublishFilter.ALL);
        var inPlain = plain.publishes(MqttGlobalPublishFilter.ALL)) {
      a.subscribeWith().topicFilter("$share/g/jobs/+").qos(MqttQos.AT_LEAST_ONCE).send();
      b.subscribeWith().topicFilter("$share/g/jobs/+").qos(MqttQos.AT_LEAST_ONCE).send();
      plain.subscribeWith().topicFilter("jobs/+").qos(MqttQos.AT_LEAST_ONCE).send();
      for (int i = 0; i < 6; i++) {
        assertThat(publish("jobs/" + i, "j" + i)).isEqualTo(2); // the group counts once
      }
      List<String> gotA = drain(inA);
      List<String> gotB = drain(inB);
      assertThat(gotA).hasSize(3);
      assertThat(gotB).hasSize(3);
      List<String> all = new ArrayList<>(gotA);
      all.addAll(gotB);
      assertThat(all).containsExactlyInAnyOrder("j0", "j1", "j2", "j3", "j4", "j5");
      assertThat(drain(inPlain)).hasSize(6);
    }
  }

  @Test
  void mqtt311ClientsCanShare() throws Exception {
    Mqtt3BlockingClient a = fixture.connect3("a3");
    Mqtt3BlockingClient b = fixture.connect3("b3");
    try (var inA = a.publishes(MqttGlobalPublishFilter.ALL);
        var inB = b.publishes(MqttGlobalPublishFilter.ALL)) {
      a.subscribeWith().topicFilter("$share/g3/t").qos(MqttQos.AT_LEAST_ONCE).send();
      b.subscribeWith().topicFilter("$share/g3/t").qos(MqttQos.AT_LEAST_ONCE).send();
      publish("t", "1");
      publish("t", "2");
      Optional<?> pa = inA.receive(5, TimeUnit.SECONDS);
      Optional<?> pb = inB.receive(5, TimeUnit.SECONDS);
      assertThat(pa).isPresent();
      assertThat(pb).isPresent();
    }
  }

  @Test
  void messagesQueueForAGroupWhoseMembersAreOfflineButPersistent() throws Exception {
    Mqtt5BlockingClient a = fixture.mqtt5("pa").buildBlocking();
    a.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
    a.subscribeWith().topicFilter("$share/pg/q").qos(MqttQos.AT_LEAST_ONCE).send();
    a.disconnect();
    SessionIT.awaitOffline(fixture, "pa");
    for (int i = 0; i < 3; i++) {
      assertThat(publish("q", "q" + i)).isEqualTo(1);
    }
    Mqtt5BlockingClient back = fixture.mqtt5("pa").buildBlocking();
    try (var in = back.publishes(MqttGlobalPublishFilter.ALL)) {
      back.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
      assertThat(drain(in)).containsExactly("q0", "q1", "q2");
    }
    back.disconnect();
  }

  @Test
  void unackedMessagesOfAMemberWhoseSessionEndsGoToAnotherMember() throws Exception {
    Mqtt5BlockingClient b = fixture.connect5("stays");
    try (var inB = b.publishes(MqttGlobalPublishFilter.ALL);
        var raw = fixture.raw()) {
      // A raw member that never acknowledges, with a clean session.
      raw.send(dev.mqttsidecar.broker.testing.RawMqttClient.connect311("flaky", true, 60));
      raw.read();
      raw.send(dev.mqttsidecar.broker.testing.RawMqttClient.subscribe311(1, "$share/h/t", 1));
      raw.readType(dev.mqttsidecar.broker.testing.RawMqttClient.SUBACK);
      b.subscribeWith().topicFilter("$share/h/t").qos(MqttQos.AT_LEAST_ONCE).send();
      for (int i = 0; i < 4; i++) {
        publish("t", "m" + i);
      }
      raw.readType(dev.mqttsidecar.broker.testing.RawMqttClient.PUBLISH);
      raw.close(); // its session ends; its unacknowledged messages go to "stays"
      List<String> got = drain(inB);
      for (int i = 0; i < 10 && got.size() < 4; i++) {
        got.addAll(drain(inB));
      }
      assertThat(got).containsExactlyInAnyOrder("m0", "m1", "m2", "m3");
    }
  }
}
