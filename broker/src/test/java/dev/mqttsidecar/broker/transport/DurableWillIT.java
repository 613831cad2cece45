package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.RawMqttClient.PINGRESP;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBLISH;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.rocksdb.RocksStorage;
import dev.mqttsidecar.broker.persistence.rocksdb.StoreConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.CrashImage;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wills are acknowledged state: stored before CONNACK, so a connection the broker loses by crashing
 * (a {@link CrashImage} of its data directory) or by stopping still gets its will published when
 * the broker starts again [MQTT-3.1.2-8]; a delayed will waits its Will Delay Interval from the
 * restart and is cancelled by the client coming back [MQTT-3.1.3-9]; a will that can no longer fire
 * leaves nothing behind.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class DurableWillIT {
  private static final String WATCHER = "watcher";
  private static final Duration QUIET = Duration.ofMillis(500);

  @TempDir Path tmp;

  private static BrokerFixture start(RocksStorage storage, BrokerConfig.Builder config)
      throws Exception {
    return BrokerFixture.start(config, storage);
  }

  private static BrokerFixture start(RocksStorage storage) throws Exception {
    return BrokerFixture.start(config(), storage);
  }

  private static BrokerConfig.Builder config() {
    return BrokerConfig.builder()
        .sysInterval(Duration.ZERO)
        .maxSessionExpiry(Duration.ofSeconds(60));
  }

  private static RocksStorage open(Path dir) {
    return RocksStorage.open(StoreConfig.fsync(dir), Clock.systemUTC());
  }

  /** A 3.1.1 persistent session subscribed to will/# at QoS 1, then offline. */
  private static void watch(BrokerFixture f) throws Exception {
    try (RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311(WATCHER, false, 60));
      c.read();
      c.send(RawMqttClient.subscribe311(1, "will/#", 1));
      c.readType(RawMqttClient.SUBACK);
      c.send(RawMqttClient.DISCONNECT_311);
      assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  /** The watcher back online: CONNACK read, nothing acknowledged yet. */
  private static RawMqttClient watcherBack(BrokerFixture f) throws Exception {
    RawMqttClient c = f.raw();
    c.send(RawMqttClient.connect311(WATCHER, false, 60));
    assertThat(c.read().bytes()).as("CONNACK, session present").containsExactly(0x20, 2, 1, 0);
    return c;
  }

  /** Reads the next PUBLISH within {@code timeout}, acknowledges it and returns its payload. */
  private static String receive(RawMqttClient c, Duration timeout) throws Exception {
    Packet p = c.read(timeout);
    assertThat(p.type()).isEqualTo(PUBLISH);
    assertThat((p.flags() >> 1) & 3).as("QoS").isEqualTo(1);
    byte[] body = p.body();
    int topicLength = RawMqttClient.u16(body, 0);
    int packetId = RawMqttClient.u16(body, 2 + topicLength);
    c.send(RawMqttClient.pubAck(PUBACK, packetId));
    return new String(Arrays.copyOfRange(body, 4 + topicLength, body.length), UTF_8);
  }

  /** Nothing more arrives: PINGRESP answers, and no PUBLISH follows within a moment. */
  private static void assertNothingMore(RawMqttClient c) throws Exception {
    c.send(RawMqttClient.PINGREQ);
    assertThat(c.read().type()).as("PINGRESP, no will").isEqualTo(PINGRESP);
    assertThatThrownBy(() -> c.read(QUIET)).isInstanceOf(SocketTimeoutException.class);
  }

  /** A 3.1.1 device with a QoS 1 retained will on will/{id}, connected. */
  private static Mqtt3BlockingClient device311(BrokerFixture f, String id) {
    Mqtt3BlockingClient d = f.mqtt3(id).buildBlocking();
    d.connectWith()
        .willPublish()
        .topic("will/" + id)
        .payload(("offline " + id).getBytes(UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .retain(true)
        .applyWillPublish()
        .send();
    return d;
  }

  /** A 5.0 device with a QoS 1 retained will on will/{id}, delayed by {@code delay} seconds. */
  private static Mqtt5BlockingClient device5(
      BrokerFixture f, String id, long sessionExpiry, long delay) {
    Mqtt5BlockingClient d = f.mqtt5(id).buildBlocking();
    d.connectWith()
        .sessionExpiryInterval(sessionExpiry)
        .willPublish()
        .topic("will/" + id)
        .payload(("offline " + id).getBytes(UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .retain(true)
        .delayInterval(delay)
        .applyWillPublish()
        .send();
    return d;
  }

  private static Optional<String> retainedPayload(BrokerFixture f, String topic) {
    return f.broker()
        .retained()
        .get(topic)
        .map(RetainedMessage::message)
        .map(m -> new String(m.payload(), UTF_8));
  }

  @Test
  void theWillOfAConnectedClientIsPublishedAfterACrash() throws Exception {
    Path data = tmp.resolve("data");
    Path crashed;
    RocksStorage storage = open(data);
    try (BrokerFixture f = start(storage)) {
      watch(f);
      device311(f, "dev");
      assertThat(storage.loadWills()).as("stored before CONNACK").containsOnlyKeys("dev");
      crashed = CrashImage.of(data, tmp.resolve("crashed"));
    }
    RocksStorage restarted = open(crashed);
    try (BrokerFixture f = start(restarted)) {
      RetainedMessage retained = f.broker().retained().get("will/dev").orElseThrow();
      assertThat(retained.message().qos()).isEqualTo(Qos.AT_LEAST_ONCE);
      try (RawMqttClient w = watcherBack(f)) {
        assertThat(receive(w, Duration.ofSeconds(5))).isEqualTo("offline dev");
        assertNothingMore(w);
      }
      await("published will deleted")
          .atMost(Duration.ofSeconds(5))
          .until(() -> restarted.loadWills().isEmpty());
    }
  }

  @Test
  void aDelayedWillSurvivesACrashAndIsPublishedAfterItsDelay() throws Exception {
    Path data = tmp.resolve("data");
    Path crashed;
    try (BrokerFixture f = start(open(data))) {
      watch(f);
      device5(f, "slow", 60, 2);
      crashed = CrashImage.of(data, tmp.resolve("crashed"));
    }
    long restart = System.nanoTime();
    RocksStorage restarted = open(crashed);
    try (BrokerFixture f = start(restarted);
        RawMqttClient w = watcherBack(f)) {
      assertThat(retainedPayload(f, "will/slow")).as("not yet: the delay runs").isEmpty();
      assertThat(receive(w, Duration.ofSeconds(10))).isEqualTo("offline slow");
      // The delay counts from the restart, the moment the connection counts as lost.
      assertThat(Duration.ofNanos(System.nanoTime() - restart))
          .isGreaterThan(Duration.ofSeconds(2));
      assertThat(retainedPayload(f, "will/slow")).contains("offline slow");
      await("published will deleted")
          .atMost(Duration.ofSeconds(5))
          .until(() -> restarted.loadWills().isEmpty());
    }
  }

  @Test
  void aDelayedWillIsNotPublishedWhenItsClientReconnectsWithinTheDelayAfterACrash()
      throws Exception {
    Path data = tmp.resolve("data");
    Path crashed;
    try (BrokerFixture f = start(open(data))) {
      watch(f);
      device5(f, "back", 60, 2);
      crashed = CrashImage.of(data, tmp.resolve("crashed"));
    }
    RocksStorage restarted = open(crashed);
    try (BrokerFixture f = start(restarted)) {
      Mqtt5BlockingClient back = f.mqtt5("back").buildBlocking();
      back.connectWith().cleanStart(false).sessionExpiryInterval(60).send(); // [MQTT-3.1.3-9]
      assertThat(restarted.loadWills()).as("cancelled before CONNACK").isEmpty();
      try (RawMqttClient w = watcherBack(f)) {
        assertThatThrownBy(() -> w.read(Duration.ofSeconds(3)))
            .as("no will once the delay has passed")
            .isInstanceOf(SocketTimeoutException.class);
      }
      assertThat(retainedPayload(f, "will/back")).isEmpty();
      back.disconnect();
    }
  }

  @Test
  void aWillOfASessionEndingWithItsConnectionIsPublishedAtOnceAfterACrash() throws Exception {
    Path data = tmp.resolve("data");
    Path crashed;
    try (BrokerFixture f = start(open(data))) {
      device5(f, "brief", 0, 30); // the delay is capped by the session's end [MQTT-3.1.3-9]
      crashed = CrashImage.of(data, tmp.resolve("crashed"));
    }
    try (BrokerFixture f = start(open(crashed))) {
      assertThat(retainedPayload(f, "will/brief")).contains("offline brief");
    }
  }

  @Test
  void theWillOfASessionThatExpiredWhileTheBrokerWasDownIsPublishedAtOnce() throws Exception {
    Path data = tmp.resolve("data");
    Path crashed;
    RocksStorage storage = open(data);
    try (BrokerFixture f = start(storage)) {
      device5(f, "gone", 10, 10)
          .disconnectWith()
          .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
          .send(); // the will waits 10 s, the session ends after 10 s
      await("session stored as offline")
          .atMost(Duration.ofSeconds(5))
          .until(() -> storage.loadSessions().get("gone").session().disconnectedAt() != null);
      crashed = CrashImage.of(data, tmp.resolve("crashed"));
    }
    MutableClock anHourLater = new MutableClock(Instant.now().plus(Duration.ofHours(1)));
    try (BrokerFixture f = start(open(crashed), config().clock(anHourLater))) {
      assertThat(f.services().sessions().get("gone")).as("expired while down").isNull();
      assertThat(retainedPayload(f, "will/gone")).contains("offline gone");
    }
  }

  @Test
  void aRestoredWillHoldsItsPlaceUnderTheCapOnPendingWills() throws Exception {
    Path data = tmp.resolve("data");
    Path crashed;
    try (BrokerFixture f = start(open(data))) {
      device5(f, "held", 60, 30);
      crashed = CrashImage.of(data, tmp.resolve("crashed"));
    }
    try (BrokerFixture f = start(open(crashed), config().maxPendingWills(1))) {
      assertThatThrownBy(() -> device5(f, "newcomer", 0, 0))
          .isInstanceOfSatisfying(
              Mqtt5ConnAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED));
      device5(f, "held", 60, 30).disconnect(); // its own place: replaced, then discarded
      device5(f, "newcomer", 0, 0).disconnect();
    }
  }

  @Test
  void aNormalDisconnectLeavesNoWillToPublishAfterARestart() throws Exception {
    Path data = tmp.resolve("data");
    RocksStorage storage = open(data);
    try (BrokerFixture f = start(storage)) {
      watch(f);
      device311(f, "polite").disconnect(); // [MQTT-3.1.2-10]
      await("will deleted")
          .atMost(Duration.ofSeconds(5))
          .until(() -> storage.loadWills().isEmpty());
    }
    try (BrokerFixture f = start(open(data));
        RawMqttClient w = watcherBack(f)) {
      assertNothingMore(w);
      assertThat(retainedPayload(f, "will/polite")).isEmpty();
    }
  }

  @Test
  void aConnectionWithoutAWillTakingOverDeletesTheStoredWillBeforeItsConnack() throws Exception {
    RocksStorage storage = open(tmp.resolve("data"));
    try (BrokerFixture f = start(storage)) {
      device5(f, "twin", 60, 30);
      Mqtt5BlockingClient successor = f.mqtt5("twin").buildBlocking();
      successor.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
      assertThat(storage.loadWills()).isEmpty();
      successor.disconnect();
    }
  }

  @Test
  void theWillOfAConnectionOpenWhileTheBrokerStopsIsPublishedAtTheNextStart() throws Exception {
    Path data = tmp.resolve("data");
    try (BrokerFixture f = start(open(data))) {
      watch(f);
      device311(f, "open");
    }
    try (BrokerFixture f = start(open(data));
        RawMqttClient w = watcherBack(f)) {
      assertThat(receive(w, Duration.ofSeconds(5))).isEqualTo("offline open");
      assertNothingMore(w);
    }
  }

  @Test
  void aConnectWithoutAWillWritesNothingAndOneWithAWillOneRecord() throws Exception {
    RocksStorage storage = open(tmp.resolve("data"));
    try (BrokerFixture f = start(storage)) {
      long before = storage.stats().writes();
      Mqtt3BlockingClient plain = f.mqtt3("plain").buildBlocking();
      plain.connect();
      assertThat(storage.stats().writes()).as("CONNECT without a will").isEqualTo(before);
      device311(f, "dev");
      assertThat(storage.stats().writes()).as("CONNECT with a will").isEqualTo(before + 1);
      plain.disconnect();
    }
  }
}
