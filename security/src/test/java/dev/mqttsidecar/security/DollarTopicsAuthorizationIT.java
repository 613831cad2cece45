package dev.mqttsidecar.security;

import static dev.mqttsidecar.security.DeviceRulesFixture.connect5;
import static dev.mqttsidecar.security.DeviceRulesFixture.publish;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code $SYS}, and the state store's {@code $dapr/state/...} keys, under {@link
 * DeviceRulesFixture#RULES}: a device reaches them only through a grant that names them; Dapr's
 * in-process publishers and subscribers are not subject to the rules.
 */
@ExtendWith(LeakCheck.class)
class DollarTopicsAuthorizationIT {
  private static final String KEY = "$dapr/state/store/app||lamp";

  private static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter) {
    return DeviceRulesFixture.subscribe(
            c, Mqtt5Subscribe.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build())
        .getReasonCodes()
        .get(0);
  }

  private static Mqtt5PubAckReasonCode publish5(Mqtt5BlockingClient c, String topic) {
    try {
      Mqtt5PublishResult result =
          c.publishWith()
              .topic(topic)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload("forged".getBytes(UTF_8))
              .send();
      return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
    } catch (Mqtt5PubAckException e) {
      return e.getMqttMessage().getReasonCode();
    }
  }

  private static String nextTopic(Mqtt5BlockingClient.Mqtt5Publishes in) throws Exception {
    return in.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString();
  }

  @Test
  void sysStatisticsNeedAGrantThatNamesThem() throws Exception {
    try (BrokerFixture f =
        DeviceRulesFixture.start(BrokerConfig.builder().sysInterval(Duration.ofMillis(100)))) {
      Mqtt5BlockingClient device = connect5(f, "a", null);
      assertThat(subscribe(device, "$SYS/#")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      assertThat(subscribe(device, "+/broker/#")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      Mqtt5BlockingClient admin = connect5(f, "admin-console", "admin");
      try (var in = admin.publishes(MqttGlobalPublishFilter.ALL)) {
        assertThat(subscribe(admin, "$SYS/broker/uptime"))
            .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(nextTopic(in)).isEqualTo("$SYS/broker/uptime");
      }
    }
  }

  @Test
  void aRuleGrantingSysOrEventsDoesNotLetAClientPublishThere() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      Mqtt5BlockingClient root = connect5(f, "root-tool", "root");
      assertThat(publish5(root, "$SYS/broker/uptime"))
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      assertThat(publish5(root, "$events/clients/a/connected"))
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      assertThat(publish5(root, "anything/else")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    }
  }

  @Test
  void aWildcardSubscriberNeverSeesStateKeys() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      assertThat(publish(f, KEY, true).isAccepted()).isTrue(); // a state Set
      Mqtt5BlockingClient admin = connect5(f, "admin-console", "admin");
      try (var in = admin.publishes(MqttGlobalPublishFilter.ALL)) {
        assertThat(subscribe(admin, "#")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        publish(f, KEY, true); // the key changes
        publish(f, "plain/marker", false);
        assertThat(nextTopic(in)).isEqualTo("plain/marker"); // [MQTT-4.7.2-1]
      }
    }
  }

  @Test
  void stateKeysNeedAGrantToReadOrWrite() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      publish(f, KEY, true);
      Mqtt5BlockingClient device = connect5(f, "a", null);
      assertThat(subscribe(device, "$dapr/state/#"))
          .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      assertThat(subscribe(device, "$dapr/#")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      assertThat(publish5(device, KEY)).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      Mqtt5BlockingClient admin = connect5(f, "admin-console", "admin");
      // "#" reaches neither: $-topics need a grant that names them.
      assertThat(publish5(admin, KEY)).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      assertThat(f.broker().retained().get(KEY).orElseThrow().message().payload())
          .isEqualTo(KEY.getBytes(UTF_8)); // the stored value is untouched

      Mqtt5BlockingClient reader = connect5(f, "dashboard", "state-reader");
      try (var in = reader.publishes(MqttGlobalPublishFilter.ALL)) {
        assertThat(subscribe(reader, "$dapr/state/store/#"))
            .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(nextTopic(in)).isEqualTo(KEY); // the retained key, sent on subscribe
      }
      assertThat(subscribe(reader, "$dapr/state/other/#"))
          .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    }
  }

  @Test
  void inProcessSubscribersAndPublishersAreNotSubjectToTheRules() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      RecordingSubscriber app = RecordingSubscriber.autoAck();
      f.broker()
          .subscribe(
              new SubscriptionRequest("app", "#", Qos.AT_LEAST_ONCE, 10, Duration.ZERO), app);
      RecordingSubscriber store = RecordingSubscriber.autoAck();
      f.broker()
          .subscribe(
              new SubscriptionRequest(
                  "store", "$share/app/$dapr/state/#", Qos.AT_LEAST_ONCE, 10, Duration.ZERO),
              store);
      Mqtt5BlockingClient device = connect5(f, "a", null);
      try (var in = device.publishes(MqttGlobalPublishFilter.ALL)) {
        device.subscribeWith().topicFilter("commands/a/#").qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(publish5(device, "devices/a/temp")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(app.next().message().topic()).isEqualTo("devices/a/temp");

        PublishResult command = publish(f, "commands/a/reboot", false);
        assertThat(command.isAccepted()).isTrue();
        assertThat(nextTopic(in)).isEqualTo("commands/a/reboot");
        assertThat(publish(f, KEY, true).isAccepted()).isTrue();
        assertThat(store.next().message().topic()).isEqualTo(KEY);
      }
    }
  }
}
