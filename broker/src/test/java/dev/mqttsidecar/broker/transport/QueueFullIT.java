package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A subscriber whose bounded queue is full drops new messages, and the publisher learns of it. */
class QueueFullIT {

  private static BrokerFixture brokerWithAFullOfflineSession() throws Exception {
    BrokerFixture broker = BrokerFixture.start(BrokerConfig.builder().maxQueuedMessages(2));
    Mqtt5BlockingClient offline = broker.mqtt5("offline").buildBlocking();
    offline.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
    offline.subscribeWith().topicFilter("full/#").qos(MqttQos.AT_LEAST_ONCE).send();
    offline.disconnect();
    // The broker handles the DISCONNECT asynchronously: wait until the session is offline, or the
    // next messages go straight to its in-flight window instead of its queue.
    broker.awaitSubscribers("full/q", 0);
    for (int i = 0; i < 2; i++) {
      PublishResult fits =
          broker
              .broker()
              .publish(Message.of("full/q", bytes("fits"), Qos.AT_LEAST_ONCE, false))
              .get(10, TimeUnit.SECONDS);
      assertThat(fits.status()).isEqualTo(PublishResult.Status.ACCEPTED);
    }
    return broker;
  }

  @Test
  void theApiReportsQuotaExceededWhenAMatchingQueueIsFull() throws Exception {
    try (BrokerFixture broker = brokerWithAFullOfflineSession()) {
      PublishResult dropped =
          broker
              .broker()
              .publish(Message.of("full/q", bytes("x"), Qos.AT_LEAST_ONCE, false))
              .get(10, TimeUnit.SECONDS);
      assertThat(dropped.status()).isEqualTo(PublishResult.Status.QUOTA_EXCEEDED);
      assertThat(dropped.matchedSubscribers()).isEqualTo(1);
      assertThat(dropped.reason()).contains("queue full");
    }
  }

  @Test
  void anMqtt5PublisherGetsPubAck0x97() throws Exception {
    try (BrokerFixture broker = brokerWithAFullOfflineSession()) {
      Mqtt5BlockingClient publisher = broker.connect5("publisher");
      assertQuotaExceeded(publisher, "full/q", "x");
      assertThat(publisher.getState().isConnected()).isTrue();
    }
  }

  @Test
  void anMqtt311PublisherIsAcknowledgedAndStaysConnected() throws Exception {
    try (BrokerFixture broker = brokerWithAFullOfflineSession()) {
      Mqtt3BlockingClient publisher = broker.mqtt3("publisher311").buildBlocking();
      publisher.connect();
      try {
        // 3.1.1 has no way to report it; closing the connection would punish the wrong client.
        publisher
            .publishWith()
            .topic("full/q")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(bytes("x"))
            .send();
        assertThat(publisher.getState().isConnected()).isTrue();
      } finally {
        publisher.disconnect();
      }
    }
  }

  @Test
  void aQueueFullInBytesRefusesWhatDoesNotFitAndDeliversTheRest() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(BrokerConfig.builder().maxQueuedBytes(10))) {
      Mqtt5BlockingClient offline = broker.mqtt5("offline").buildBlocking();
      offline.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
      offline.subscribeWith().topicFilter("bytes/#").qos(MqttQos.AT_LEAST_ONCE).send();
      offline.disconnect();
      broker.awaitSubscribers("bytes/q", 0);
      Mqtt5BlockingClient publisher = broker.connect5("publisher");

      publish(publisher, "bytes/q", "sixsix");
      assertQuotaExceeded(publisher, "bytes/q", "fivef"); // 6 + 5 bytes would pass the bound of 10
      publish(publisher, "bytes/q", "four");

      try (Mqtt5BlockingClient.Mqtt5Publishes received =
          offline.publishes(MqttGlobalPublishFilter.ALL)) {
        offline.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
        assertThat(new String(received.receive().getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("sixsix");
        assertThat(new String(received.receive().getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("four");
        assertThat(received.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
      }
    }
  }

  private static void publish(Mqtt5BlockingClient publisher, String topic, String payload) {
    publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(payload)).send();
  }

  /** [MQTT-3.4.2.1] PUBACK 0x97 Quota exceeded. */
  private static void assertQuotaExceeded(
      Mqtt5BlockingClient publisher, String topic, String payload) {
    assertThatThrownBy(() -> publish(publisher, topic, payload))
        .isInstanceOfSatisfying(
            Mqtt5PubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
