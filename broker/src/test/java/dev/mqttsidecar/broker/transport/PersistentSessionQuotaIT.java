package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.PersistentSessionLimit;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Quotas;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.session.PersistentSessionQuota;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import dev.mqttsidecar.broker.testing.SysValues;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The persistent session quotas, in total and per client id pattern, as MQTT clients meet them: a
 * CONNECT that would add a session outliving its connection is refused (5.0: 0x97, 3.1.1: 0x03);
 * clean sessions and sessions that already exist never are.
 */
@ExtendWith(LeakCheck.class)
class PersistentSessionQuotaIT {

  private static BrokerConfig.Builder withQuotas(Quotas quotas) {
    return BrokerConfig.builder().quotas(quotas).sysInterval(Duration.ofMillis(100));
  }

  /** Connects with a session that outlives the connection by a minute; false if refused 0x97. */
  private static boolean connectPersistent(BrokerFixture f, String clientId) {
    Mqtt5BlockingClient c = f.mqtt5(clientId).buildBlocking();
    Mqtt5ConnAckException refused =
        catchThrowableOfType(
            () -> c.connectWith().cleanStart(false).sessionExpiryInterval(60).send(),
            Mqtt5ConnAckException.class);
    if (refused != null) {
      assertThat(refused.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
      return false;
    }
    f.track(c);
    return true;
  }

  @Test
  void overTheTotalANewPersistentSessionIsRefusedButNotACleanOne() throws Exception {
    try (BrokerFixture f =
            BrokerFixture.start(withQuotas(Quotas.DEFAULTS.withMaxPersistentSessions(2)));
        ErrorLogCapture log = ErrorLogCapture.warningsOf(PersistentSessionQuota.class)) {
      assertThat(connectPersistent(f, "p1")).isTrue();
      assertThat(connectPersistent(f, "p2")).isTrue();
      assertThat(connectPersistent(f, "p3")).isFalse();
      Mqtt3BlockingClient old = f.mqtt3("p3-311").buildBlocking();
      Mqtt3ConnAckException refused311 =
          catchThrowableOfType(
              () -> old.connectWith().cleanSession(false).send(), Mqtt3ConnAckException.class);
      assertThat(refused311.getMqttMessage().getReturnCode())
          .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
      f.connect5("clean-5"); // Session Expiry Interval 0
      f.connect3("clean-311");

      try (SysValues sys = SysValues.of(f)) {
        sys.await("persistent sessions/count", "2");
        sys.await("persistent sessions/refused", "2");
      }
      assertThat(log.errors()).hasSize(1); // the second refusal came within the interval
    }
  }

  @Test
  void anExistingSessionIsAlwaysResumedAndAnEndedOneGivesItsPlaceBack() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(withQuotas(Quotas.DEFAULTS.withMaxPersistentSessions(1)))) {
      Mqtt5BlockingClient first = f.mqtt5("first").buildBlocking();
      first.connectWith().cleanStart(false).sessionExpiryInterval(2).send();
      first.disconnect();
      Mqtt5BlockingClient again = f.mqtt5("first").buildBlocking();
      assertThat(
              again
                  .connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(2)
                  .send()
                  .isSessionPresent())
          .isTrue();
      again.disconnect();
      Mqtt5BlockingClient restarted = f.mqtt5("first").buildBlocking();
      restarted.connectWith().cleanStart(true).sessionExpiryInterval(2).send(); // replaces it
      restarted.disconnect();
      assertThat(connectPersistent(f, "second")).isFalse();

      // The session expires two seconds after its client left: its place is free again.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> f.services().sessions().quota().count() == 0);
      assertThat(connectPersistent(f, "second")).isTrue();
    }
  }

  @Test
  void aClientIdPatternBoundsItsOwnIdsOnly() throws Exception {
    Quotas quotas =
        Quotas.DEFAULTS.withPersistentSessionLimits(
            List.of(new PersistentSessionLimit("sensor-*", 1)));
    try (BrokerFixture f = BrokerFixture.start(withQuotas(quotas))) {
      assertThat(connectPersistent(f, "sensor-1")).isTrue();
      assertThat(connectPersistent(f, "sensor-2")).isFalse();
      assertThat(connectPersistent(f, "gateway-1")).isTrue();
      f.connect5("sensor-3"); // clean
      // A client that no longer keeps its session gives its place back [MQTT-3.1.2-4].
      Mqtt5BlockingClient first = f.mqtt5("sensor-1").buildBlocking();
      first.connectWith().cleanStart(true).send();
      first.disconnect();
      assertThat(connectPersistent(f, "sensor-2")).isTrue();
    }
  }

  @Test
  void inProcessSubscribersDoNotCount() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(withQuotas(Quotas.DEFAULTS.withMaxPersistentSessions(0)))) {
      f.broker()
          .subscribe(
              new SubscriptionRequest(
                  "app", "orders/#", Qos.AT_LEAST_ONCE, 10, Duration.ofHours(1)),
              RecordingSubscriber.autoAck());
      assertThat(connectPersistent(f, "device")).isFalse();
      f.connect5("device"); // clean
    }
  }
}
