package dev.mqttsidecar.state.grpc;

import static dev.mqttsidecar.state.grpc.GrpcHarness.setRequest;
import static dev.mqttsidecar.state.grpc.StateCrudTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.testing.MutableClock;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store on the real broker (port 0), seen from Dapr's side over gRPC and from a device's
 * side over MQTT 5.
 */
class RealBrokerIT {
  private static final String PREFIX = "$dapr/state/store/";
  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(Instant.now());
  private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
  private Broker broker;
  private GrpcHarness harness;
  private GrpcHarness.Client store;

  @BeforeEach
  void start() throws Exception {
    Authorizer onlyDevicesOutsideState =
        new Authorizer() {
          @Override
          public boolean mayPublish(ClientIdentity client, String topic) {
            return !client.clientId().startsWith("intruder") || !topic.startsWith("$dapr/state/");
          }

          @Override
          public boolean maySubscribe(ClientIdentity client, String filter) {
            return true;
          }
        };
    broker =
        Broker.create(
            BrokerConfig.builder()
                .port(0)
                .dataDirectory(dataDir) // the durable store (fsync), as the sidecar runs it
                .clock(clock)
                .maxPacketSize(8 * 1024 * 1024)
                .authorizer(onlyDevicesOutsideState)
                .build());
    broker.start();
    harness = new GrpcHarness(broker, clock);
    store = harness.init("store", Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    for (Mqtt5BlockingClient c : clients) {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    }
    harness.close();
    broker.stop();
  }

  @Test
  void aDeviceWatchingAKeySeesEveryDaprSet() throws Exception {
    Mqtt5BlockingClient device = connect("watcher");
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(MqttGlobalPublishFilter.ALL)) {
      device
          .subscribeWith()
          .topicFilter(PREFIX + "myapp||devices/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      store
          .state()
          .set(
              setRequest("myapp||devices/lamp", "{\"on\":true}")
                  .setContentType("application/json")
                  .putMetadata("ttlInSeconds", "600")
                  .build());
      Mqtt5Publish p = receive(publishes);
      assertThat(p.getTopic().toString()).isEqualTo(PREFIX + "myapp||devices/lamp");
      assertThat(text(p)).isEqualTo("{\"on\":true}");
      assertThat(p.getContentType())
          .hasValueSatisfying(ct -> assertThat(ct.toString()).isEqualTo("application/json"));
      assertThat(p.getMessageExpiryInterval().orElseThrow()).isBetween(599L, 600L);

      store.set("myapp||devices/lamp", "{\"on\":false}");
      assertThat(text(receive(publishes))).isEqualTo("{\"on\":false}");
      store.state().delete(GrpcHarness.deleteRequest("myapp||devices/lamp").build());
      assertThat(receive(publishes).getPayloadAsBytes()).isEmpty();
      store.set("myapp||other", "x");
      assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void aNewSubscriberGetsTheCurrentValueAsRetained() throws Exception {
    store.set("myapp||cfg", "v1");
    Mqtt5BlockingClient device = connect("late");
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter(PREFIX + "myapp||cfg").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish p = receive(publishes);
      assertThat(p.isRetain()).isTrue();
      assertThat(text(p)).isEqualTo("v1");
    }
  }

  @Test
  void daprSeesWhatADevicePublishedRetainedAndItsDelete() {
    Mqtt5BlockingClient device = connect("sensor");
    String before = store.set("myapp||devices/t1", "{\"t\":0}");
    device
        .publishWith()
        .topic(PREFIX + "myapp||devices/t1")
        .payload("{\"t\":21}".getBytes(StandardCharsets.UTF_8))
        .contentType("application/json")
        .retain(true)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    State.GetResponse r = store.get("myapp||devices/t1");
    assertThat(r.getData().toStringUtf8()).isEqualTo("{\"t\":21}");
    assertThat(r.getContentType()).isEqualTo("application/json");
    assertThat(Long.parseLong(r.getEtag().getValue())).isGreaterThan(Long.parseLong(before));
    // The device's write invalidated the ETag the app read before it.
    var e =
        failure(
            () ->
                store
                    .state()
                    .set(
                        setRequest("myapp||devices/t1", "x")
                            .setEtag(GrpcHarness.etag(before))
                            .build()));
    GrpcHarness.assertEtagError(e, Status.Code.FAILED_PRECONDITION);

    device
        .publishWith()
        .topic(PREFIX + "myapp||devices/t1")
        .payload(new byte[0])
        .retain(true)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    assertThat(store.get("myapp||devices/t1").hasEtag()).isFalse();
  }

  @Test
  void aClientWithoutPermissionCannotWriteState() {
    store.set("myapp||locked", "safe");
    Mqtt5BlockingClient intruder = connect("intruder-1");
    try {
      intruder
          .publishWith()
          .topic(PREFIX + "myapp||locked")
          .payload("owned".getBytes(StandardCharsets.UTF_8))
          .retain(true)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
    } catch (Mqtt5PubAckException refused) {
      assertThat(refused.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    }
    assertThat(store.text("myapp||locked")).isEqualTo("safe");
  }

  @Test
  void keysPastTheirTtlLeaveTheStoreWhileItRuns() {
    int keys = 100_000;
    for (int start = 0; start < keys; start += 1_000) {
      State.BulkSetRequest.Builder bulk = State.BulkSetRequest.newBuilder();
      for (int i = start; i < start + 1_000; i++) {
        bulk.addItems(setRequest("myapp||ttl-" + i, "v").putMetadata("ttlInSeconds", "1"));
      }
      store.state().bulkSet(bulk.build());
    }
    store.set("myapp||kept", "v");
    assertThat(broker.retained().size()).isEqualTo(keys + 1);

    clock.advance(Duration.ofSeconds(2));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(broker.retained().size()).isEqualTo(1));
    assertThat(store.text("myapp||kept")).isEqualTo("v");
  }

  @Test
  void ttlExpiryIsSeenByBothSides() throws Exception {
    store
        .state()
        .set(setRequest("myapp||session", "token").putMetadata("ttlInSeconds", "5").build());
    Mqtt5BlockingClient device = connect("ttl-device");
    device
        .publishWith()
        .topic(PREFIX + "myapp||from-device")
        .payload("x".getBytes(StandardCharsets.UTF_8))
        .retain(true)
        .messageExpiryInterval(5)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    assertThat(store.get("myapp||from-device").getMetadataMap()).containsKey("ttlExpireTime");
    assertThat(store.text("myapp||session")).isEqualTo("token");

    clock.advance(Duration.ofSeconds(6));
    assertThat(store.get("myapp||session").getData()).isEmpty();
    assertThat(store.get("myapp||from-device").getData()).isEmpty();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter(PREFIX + "#").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void aTransactionsSubscribersSeeItsFinalValues() throws Exception {
    Mqtt5BlockingClient device = connect("tx-watcher");
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter(PREFIX + "tx/#").qos(MqttQos.AT_LEAST_ONCE).send();
      store
          .tx()
          .transact(
              State.TransactionalStateRequest.newBuilder()
                  .addOperations(GrpcHarness.txSet("tx/a", "1"))
                  .addOperations(GrpcHarness.txSet("tx/a", "2"))
                  .addOperations(GrpcHarness.txSet("tx/b", "3"))
                  .build());
      List<String> seen = new ArrayList<>();
      Mqtt5Publish first = receive(publishes);
      seen.add(first.getTopic() + "=" + text(first));
      Optional<Mqtt5Publish> more;
      while ((more = publishes.receive(300, TimeUnit.MILLISECONDS)).isPresent()) {
        seen.add(more.get().getTopic() + "=" + text(more.get()));
      }
      assertThat(seen)
          .contains(PREFIX + "tx/a=2", PREFIX + "tx/b=3")
          .doesNotContain(PREFIX + "tx/a=1");
    }
  }

  @Test
  void specialCharacterKeysAreValidTopicsDevicesCanWatch() throws Exception {
    Mqtt5BlockingClient device = connect("special");
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter(PREFIX + "#").qos(MqttQos.AT_LEAST_ONCE).send();
      for (String key : InstancesAndKeysTest.SPECIAL_KEYS) {
        store.set(key, "\"" + key.length() + "\"");
        assertThat(store.text(key)).as("key %s", key).isEqualTo("\"" + key.length() + "\"");
        Mqtt5Publish p = receive(publishes);
        assertThat(p.getTopic().toString())
            .isEqualTo(PREFIX + dev.mqttsidecar.state.KeyCodec.encode(key));
      }
    }
  }

  @Test
  void valuesOfFourMebibytesRoundTripByteExact() {
    byte[] big = new byte[4 * 1024 * 1024];
    new Random(1).nextBytes(big);
    store
        .state()
        .set(
            State.SetRequest.newBuilder().setKey("big").setValue(ByteString.copyFrom(big)).build());
    assertThat(store.get("big").getData().toByteArray()).isEqualTo(big);
  }

  @Test
  void twentyThreadsRacingCompareAndSetLoseNothing() throws Exception {
    CompareAndSetRaceTest.race(store);
  }

  private Mqtt5BlockingClient connect(String id) {
    Mqtt5BlockingClient c =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(broker.mqttAddress().getPort())
            .buildBlocking();
    c.connectWith().keepAlive(60).send();
    clients.add(c);
    return c;
  }

  private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes publishes)
      throws Exception {
    Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
    assertThat(p).as("expected a PUBLISH within 5 s").isPresent();
    return p.get();
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }
}
