package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Quotas;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.WillConnects;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code maxPendingWills}: the wills of live connections and those waiting for their delay count; a
 * CONNECT with a will beyond the cap is refused (5.0: 0x97 Quota exceeded, MQTT 5.0 §3.2.2.2;
 * 3.1.1: 0x03 Server unavailable), changes nothing, and is counted on {@code
 * $SYS/broker/wills/refused}.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class PendingWillLimitIT {

  private static BrokerFixture start(int maxPendingWills) throws Exception {
    return BrokerFixture.start(
        BrokerConfig.builder()
            .maxPendingWills(maxPendingWills)
            .sysInterval(Duration.ofMillis(100)));
  }

  /** A 5.0 client, not connected yet, that the fixture disconnects at the end. */
  private static Mqtt5BlockingClient client(BrokerFixture f, String id) {
    Mqtt5BlockingClient c = f.mqtt5(id).buildBlocking();
    f.track(c);
    return c;
  }

  /** Connects with a QoS 1 will on will/{client id}, delayed by {@code delay} seconds. */
  private static void connectWithWill(Mqtt5BlockingClient c, long sessionExpiry, long delay) {
    String id = c.getConfig().getClientIdentifier().orElseThrow().toString();
    c.connectWith()
        .sessionExpiryInterval(sessionExpiry)
        .willPublish()
        .topic("will/" + id)
        .payload(("offline " + id).getBytes(UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .delayInterval(delay)
        .applyWillPublish()
        .send();
  }

  private static Mqtt5ConnAckReasonCode refusal(Mqtt5BlockingClient c) {
    return catchThrowableOfType(() -> connectWithWill(c, 0, 0), Mqtt5ConnAckException.class)
        .getMqttMessage()
        .getReasonCode();
  }

  /** The 3.1.1 CONNACK return code a CONNECT with a will gets. */
  private static int returnCode311(BrokerFixture f, String id) throws Exception {
    try (RawMqttClient c = f.raw()) {
      c.send(WillConnects.v311(id, null, "will/" + id, 1));
      byte[] connAck = c.read().bytes();
      assertThat(connAck[0] & 0xFF).as("CONNACK").isEqualTo(0x20);
      return connAck[3];
    }
  }

  /** Waits until $SYS reports {@code pending} wills held and {@code refused} CONNECTs refused. */
  private static void awaitSys(Mqtt5Publishes sys, long pending, long refused) throws Exception {
    Map<String, String> seen = new HashMap<>();
    Map<String, String> wanted =
        Map.of("wills/pending", String.valueOf(pending), "wills/refused", String.valueOf(refused));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!seen.equals(wanted)) {
      assertThat(System.nanoTime()).as("$SYS %s, last seen %s", wanted, seen).isLessThan(deadline);
      Optional<Mqtt5Publish> p = sys.receive(1, TimeUnit.SECONDS);
      p.ifPresent(
          m ->
              seen.put(
                  m.getTopic().toString().substring("$SYS/broker/".length()),
                  new String(m.getPayloadAsBytes(), UTF_8)));
    }
  }

  @Test
  void overTheCapAConnectWithAWillIsRefusedAndCounted() throws Exception {
    try (BrokerFixture f = start(2)) {
      Mqtt5BlockingClient observer = f.connect5("observer"); // no will: never counted
      try (Mqtt5Publishes sys = observer.publishes(MqttGlobalPublishFilter.ALL)) {
        observer.subscribeWith().topicFilter("$SYS/broker/wills/#").send();
        Mqtt5BlockingClient a = client(f, "a");
        connectWithWill(a, 0, 0);
        Mqtt5BlockingClient b = client(f, "b");
        connectWithWill(b, 0, 0);
        awaitSys(sys, 2, 0);

        assertThat(refusal(client(f, "c"))).isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
        assertThat(returnCode311(f, "d")).as("3.1.1: server unavailable").isEqualTo(0x03);
        assertThat(f.connect5("plain").getState().isConnected()).as("no will, no cap").isTrue();
        awaitSys(sys, 2, 2);

        // A client that holds a will may replace it: taking over its own session adds none.
        Mqtt5BlockingClient a2 = client(f, "a");
        connectWithWill(a2, 0, 0);
        assertThat(a2.getState().isConnected()).isTrue();

        awaitSys(sys, 2, 2);
        b.disconnect(); // discards b's will [MQTT-3.1.2-10]: its place is free
        awaitSys(sys, 1, 2);
        Mqtt5BlockingClient c = client(f, "c");
        connectWithWill(c, 0, 0);
        assertThat(c.getState().isConnected()).isTrue();
        awaitSys(sys, 2, 2);
      }
    }
  }

  @Test
  void aDelayedWillHoldsItsPlaceUntilItIsPublished() throws Exception {
    try (BrokerFixture f = start(1)) {
      Mqtt5BlockingClient watcher = f.connect5("watcher");
      Mqtt5BlockingClient observer = f.connect5("observer");
      try (Mqtt5Publishes wills = watcher.publishes(MqttGlobalPublishFilter.ALL);
          Mqtt5Publishes sys = observer.publishes(MqttGlobalPublishFilter.ALL)) {
        watcher.subscribeWith().topicFilter("will/#").qos(MqttQos.AT_LEAST_ONCE).send();
        observer.subscribeWith().topicFilter("$SYS/broker/wills/#").send();
        Mqtt5BlockingClient slow = client(f, "slow");
        connectWithWill(slow, 60, 2);
        slow.disconnectWith()
            .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
            .send(); // the will now waits 2 s for the client to come back
        assertThat(refusal(client(f, "other")))
            .as("the waiting will holds the only place")
            .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
        Mqtt5Publish published = wills.receive(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(published.getTopic().toString()).isEqualTo("will/slow");
        awaitSys(sys, 0, 1);
        Mqtt5BlockingClient other = client(f, "other");
        connectWithWill(other, 0, 0);
        assertThat(other.getState().isConnected()).as("published: the place is free").isTrue();
      }
    }
  }

  @Test
  void aRefusedConnectLeavesTheClientsSessionAsItWas() throws Exception {
    try (BrokerFixture f = start(1)) {
      Mqtt5BlockingClient holder = client(f, "holder");
      connectWithWill(holder, 0, 0);
      Mqtt5BlockingClient kept = f.mqtt5("kept").buildBlocking();
      kept.connectWith().sessionExpiryInterval(60).send();
      kept.subscribeWith().topicFilter("kept/#").qos(MqttQos.AT_LEAST_ONCE).send();
      kept.disconnect();

      Mqtt5BlockingClient cleanWithWill = client(f, "kept");
      assertThat(
              catchThrowableOfType(
                      () ->
                          cleanWithWill
                              .connectWith()
                              .cleanStart(true)
                              .willPublish()
                              .topic("will/kept")
                              .applyWillPublish()
                              .send(),
                      Mqtt5ConnAckException.class)
                  .getMqttMessage()
                  .getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);

      Mqtt5BlockingClient back = f.mqtt5("kept").buildBlocking();
      f.track(back);
      assertThat(
              back.connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(60)
                  .send()
                  .isSessionPresent())
          .as("the refused clean start discarded nothing")
          .isTrue();
    }
  }

  @Test
  void aPersistentSessionRefusedForItsWillKeepsNoSessionSlot() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(
            BrokerConfig.builder()
                .maxPendingWills(1)
                .quotas(Quotas.DEFAULTS.withMaxPersistentSessions(1)))) {
      connectWithWill(client(f, "holder"), 0, 0); // a clean session holding the only will place
      Mqtt5BlockingClient refused = client(f, "first");
      assertThat(
              catchThrowableOfType(
                      () -> connectWithWill(refused, 60, 0), Mqtt5ConnAckException.class)
                  .getMqttMessage()
                  .getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);

      Mqtt5BlockingClient second = client(f, "second");
      second.connectWith().sessionExpiryInterval(60).send();
      assertThat(second.getState().isConnected())
          .as("the refused CONNECT gave back the persistent session place it was admitted to")
          .isTrue();
    }
  }
}
