package dev.mqttsidecar.component.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.component.testing.ComponentYaml;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What makes this store special, over the real socket: devices see the same keys as retained MQTT
 * topics, any key is a valid topic, and concurrent writers never lose an update.
 */
class StateStoreDevicesOverSocketTest extends StateSocketTestBase {

  @Test
  void aDeviceWatchesAKeyChangeAndDaprReadsWhatADevicePublishedRetained() throws Exception {
    Mqtt5BlockingClient device =
        Mqtt5Client.builder()
            .identifier("lamp-watcher")
            .serverHost("127.0.0.1")
            .serverPort(sidecar.mqttPort())
            .buildBlocking();
    device.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      device
          .subscribeWith()
          .topicFilter("$dapr/state/" + STORE + "/myapp||devices/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      set("myapp||devices/lamp", utf8("{\"on\":true}"), null);
      Mqtt5Publish seen = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(seen.getTopic().toString())
          .isEqualTo("$dapr/state/" + STORE + "/myapp||devices/lamp");
      assertThat(new String(seen.getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"on\":true}");

      device
          .publishWith()
          .topic("$dapr/state/" + STORE + "/myapp||devices/fan")
          .payload(utf8("42"))
          .retain(true)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      State.GetResponse fan = get("myapp||devices/fan");
      assertThat(fan.getData().toStringUtf8()).isEqualTo("42");
      assertThat(fan.getEtag().getValue()).isNotEmpty();
    } finally {
      device.disconnect();
    }
  }

  @Test
  void twentyCallersRacingCompareAndSetOnOneKeyLoseNoUpdate() throws Exception {
    set("myapp||counter", utf8("0"), null);
    int threads = 20;
    int incrementsEach = 10;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.atomic.AtomicInteger conflicts =
        new java.util.concurrent.atomic.AtomicInteger();
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < incrementsEach; ) {
                    State.GetResponse current = get("myapp||counter");
                    int next = Integer.parseInt(current.getData().toStringUtf8()) + 1;
                    try {
                      set(
                          "myapp||counter",
                          utf8(Integer.toString(next)),
                          current.getEtag().getValue());
                      i++;
                    } catch (StatusRuntimeException e) {
                      assertThat(e.getStatus().getCode())
                          .isEqualTo(Status.Code.FAILED_PRECONDITION);
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(get("myapp||counter").getData().toStringUtf8())
        .isEqualTo(Integer.toString(threads * incrementsEach));
    assertThat(conflicts.get()).as("the callers really raced").isPositive();
  }

  @Test
  void keysWithEverySpecialCharacterRoundTripAndAreValidTopics() throws Exception {
    List<String> keys =
        List.of(
            "myapp||a+b#c%d",
            "myapp||nul\u0000inside",
            "myapp||slash/level//empty/",
            "myapp||$dollar and space",
            "myapp||unicode-\u00e9\u6f22\ud83d\ude00",
            "myapp||ctrl\u0001\u007f",
            "myapp||");
    for (String key : keys) {
      set(key, utf8("\"" + key.length() + "\""), null);
    }
    for (String key : keys) {
      assertThat(get(key).getData().toStringUtf8()).as(key).isEqualTo("\"" + key.length() + "\"");
    }
    State.QueryResponse all =
        sidecar
            .daprd()
            .query(STORE)
            .query(State.QueryRequest.newBuilder().setQuery(State.Query.newBuilder()).build());
    assertThat(all.getItemsList()).extracting(State.QueryItem::getKey).containsAll(keys);
  }

  @Test
  void aTtlExpiresForDevicesToo() throws Exception {
    state.set(
        setRequest("myapp||short-lived", utf8("1"), null).toBuilder()
            .putMetadata("ttlInSeconds", "1")
            .build());
    String topic = "$dapr/state/" + STORE + "/myapp||short-lived";
    Mqtt5BlockingClient device =
        Mqtt5Client.builder()
            .identifier("ttl-watcher")
            .serverHost("127.0.0.1")
            .serverPort(sidecar.mqttPort())
            .buildBlocking();
    device.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish retained = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(retained.getMessageExpiryInterval()).isPresent();
      assertThat(retained.getMessageExpiryInterval().getAsLong()).isLessThanOrEqualTo(1);
      device.unsubscribeWith().topicFilter(topic).send();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> get("myapp||short-lived").getData().isEmpty());
      device.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(publishes.receive(500, TimeUnit.MILLISECONDS))
          .as("no retained message after expiry")
          .isEmpty();
    } finally {
      device.disconnect();
    }
  }

  @Test
  void twoStoresOnOneSocketAreIsolated() {
    ComponentYaml other = new ComponentYaml("other-state", "state.mqtt-sidecar", Map.of());
    sidecar.daprd().initState(other);
    set("myapp||shared-key", utf8("mine"), null);
    StateStoreGrpc.StateStoreBlockingStub otherState = sidecar.daprd().state("other-state");
    assertThat(
            otherState
                .get(State.GetRequest.newBuilder().setKey("myapp||shared-key").build())
                .getData()
                .isEmpty())
        .isTrue();
    otherState.set(setRequest("myapp||shared-key", utf8("theirs"), null));
    assertThat(get("myapp||shared-key").getData().toStringUtf8()).isEqualTo("mine");
  }
}
