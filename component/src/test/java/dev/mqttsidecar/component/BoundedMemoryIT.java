package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data that does not fit in the heap: the sidecar runs with a 96 MiB heap and stores 160 MiB, as
 * state values, as retained messages and as an offline subscriber's backlog, and hands every byte
 * back, also after a restart. Values and queued messages live on disk; memory holds their index, a
 * bounded cache and the head of each queue, so the process neither runs out of memory nor loses a
 * message.
 */
@Timeout(300)
class BoundedMemoryIT {
  private static final String HEAP = "96m";
  private static final String STORE = "mqtt-state";
  private static final int KEYS = 160;
  private static final int VALUE_BYTES = 1 << 20;

  @TempDir Path folder;

  private static byte[] value(int key) {
    byte[] v = new byte[VALUE_BYTES];
    Arrays.fill(v, (byte) key);
    v[0] = (byte) (key >> 8); // keys over 255 differ from their byte-sized twins
    return v;
  }

  @Test
  void moreStateThanHeapIsStoredAndReadBack() throws Exception {
    Path data = folder.resolve("data");
    ComponentYaml yaml = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    try (SidecarProcess sidecar =
            SidecarProcess.startWithHeap(HEAP, folder, "big", "--data-dir", data.toString());
        FakeDaprd daprd = new FakeDaprd(folder.resolve("big.sock"))) {
      daprd.initState(yaml);
      for (int key = 0; key < KEYS; key++) {
        daprd
            .state(STORE)
            .set(
                State.SetRequest.newBuilder()
                    .setKey("app||k" + key)
                    .setValue(ByteString.copyFrom(value(key)))
                    .build());
      }
      assertEveryValueReadable(daprd);
      assertThat(sidecar.isAlive()).isTrue();
    }
    try (SidecarProcess sidecar =
            SidecarProcess.startWithHeap(HEAP, folder, "big", "--data-dir", data.toString());
        FakeDaprd daprd = new FakeDaprd(folder.resolve("big.sock"))) {
      daprd.initState(yaml);
      assertEveryValueReadable(daprd);
      assertThat(sidecar.output()).doesNotContain("OutOfMemoryError");
    }
  }

  /**
   * A query over more JSON than the heap holds: values are read one at a time, a page keeps only
   * its best rows, and an unpaged answer larger than the response bound is refused, not built.
   */
  @Test
  void queriesOverMoreStateThanHeapArePaged() throws Exception {
    ComponentYaml yaml = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    String pad = "x".repeat(VALUE_BYTES);
    try (SidecarProcess sidecar =
            SidecarProcess.startWithHeap(
                HEAP, folder, "big", "--data-dir", folder.resolve("data").toString());
        FakeDaprd daprd = new FakeDaprd(folder.resolve("big.sock"))) {
      daprd.initState(yaml);
      for (int key = 0; key < KEYS; key++) {
        daprd
            .state(STORE)
            .set(
                State.SetRequest.newBuilder()
                    .setKey("app||j" + key)
                    .setValue(
                        ByteString.copyFromUtf8("{\"n\":" + key + ",\"pad\":\"" + pad + "\"}"))
                    .build());
      }
      State.QueryResponse top = daprd.query(STORE).query(query(3));
      assertThat(top.getItemsList())
          .extracting(State.QueryItem::getKey)
          .containsExactly("app||j" + (KEYS - 1), "app||j" + (KEYS - 2), "app||j" + (KEYS - 3));
      assertThat(top.getToken()).isNotEmpty();
      StatusRuntimeException unpaged =
          catchThrowableOfType(
              StatusRuntimeException.class, () -> daprd.query(STORE).query(query(0)));
      assertThat(unpaged.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(sidecar.isAlive()).isTrue();
      assertThat(sidecar.output()).doesNotContain("OutOfMemoryError");
    }
  }

  /** Every key by n, descending. */
  private static State.QueryRequest query(long limit) {
    return State.QueryRequest.newBuilder()
        .setQuery(
            State.Query.newBuilder()
                .addSort(State.Sorting.newBuilder().setKey("n").setOrder(State.Sorting.Order.DESC))
                .setPagination(State.Pagination.newBuilder().setLimit(limit)))
        .build();
  }

  @Test
  void anOfflineSubscribersBacklogLargerThanTheHeapIsDeliveredAfterARestart() throws Exception {
    backlogIsDeliveredAfterARestart("backlog/#");
  }

  @Test
  void anOfflineSharedGroupsBacklogLargerThanTheHeapIsDeliveredAfterARestart() throws Exception {
    backlogIsDeliveredAfterARestart("$share/workers/backlog/#"); // what Dapr consumer groups use
  }

  private void backlogIsDeliveredAfterARestart(String filter) throws Exception {
    Path data = folder.resolve("data");
    try (SidecarProcess sidecar =
        SidecarProcess.startWithHeap(HEAP, folder, "big", "--data-dir", data.toString())) {
      Mqtt5BlockingClient sink = sidecar.mqtt5Client("sink");
      sink.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
      sink.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
      sink.disconnect();
      Mqtt5BlockingClient publisher = sidecar.mqtt5Client("publisher");
      publisher.connect();
      for (int key = 0; key < KEYS; key++) {
        publisher
            .publishWith()
            .topic("backlog/" + key)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(value(key))
            .send(); // returns once the PUBACK came: queued and stored
      }
      publisher.disconnect();
    }
    try (SidecarProcess sidecar =
        SidecarProcess.startWithHeap(HEAP, folder, "big", "--data-dir", data.toString())) {
      Mqtt5BlockingClient sink = sidecar.mqtt5Client("sink");
      try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
          sink.publishes(MqttGlobalPublishFilter.ALL)) {
        Mqtt5ConnAck ack =
            sink.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .restrictions()
                .receiveMaximum(4) // the client's own memory: 4 messages in flight
                .applyRestrictions()
                .send();
        assertThat(ack.isSessionPresent()).isTrue();
        for (int key = 0; key < KEYS; key++) {
          Mqtt5Publish p =
              publishes
                  .receive(30, TimeUnit.SECONDS)
                  .orElseThrow(() -> new AssertionError("backlog stopped"));
          assertThat(p.getTopic().toString()).isEqualTo("backlog/" + key); // in order
          assertThat(p.getPayloadAsBytes()).as("backlog/%d", key).isEqualTo(value(key));
        }
      }
      assertThat(sidecar.output()).doesNotContain("OutOfMemoryError");
    }
  }

  /**
   * A subscription matching retained messages larger than the heap gets every one of them: they are
   * read from the store a batch at a time as the subscriber takes them, not all at once.
   */
  @Test
  void retainedMessagesLargerThanTheHeapAllReachANewSubscription() throws Exception {
    try (SidecarProcess sidecar =
        SidecarProcess.startWithHeap(
            HEAP, folder, "big", "--data-dir", folder.resolve("data").toString())) {
      Mqtt5BlockingClient publisher = sidecar.mqtt5Client("publisher");
      publisher.connect();
      for (int key = 0; key < KEYS; key++) {
        publisher
            .publishWith()
            .topic("retained/" + key)
            .qos(MqttQos.AT_LEAST_ONCE)
            .retain(true)
            .payload(value(key))
            .send();
      }
      publisher.disconnect();
      Mqtt5BlockingClient sink = sidecar.mqtt5Client("sink");
      try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
          sink.publishes(MqttGlobalPublishFilter.ALL)) {
        sink.connectWith().restrictions().receiveMaximum(4).applyRestrictions().send();
        sink.subscribeWith().topicFilter("retained/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
          Mqtt5Publish p =
              publishes
                  .receive(30, TimeUnit.SECONDS)
                  .orElseThrow(() -> new AssertionError("retained messages stopped"));
          int key = Integer.parseInt(p.getTopic().getLevels().get(1));
          assertThat(p.isRetain()).isTrue();
          assertThat(p.getPayloadAsBytes()).as("retained/%d", key).isEqualTo(value(key));
          assertThat(seen.add(key)).as("retained/%d twice", key).isTrue();
        }
      }
      assertThat(sidecar.isAlive()).isTrue();
      assertThat(sidecar.output()).doesNotContain("OutOfMemoryError");
    }
  }

  private static void assertEveryValueReadable(FakeDaprd daprd) {
    for (int key = 0; key < KEYS; key++) {
      ByteString got =
          daprd
              .state(STORE)
              .get(State.GetRequest.newBuilder().setKey("app||k" + key).build())
              .getData();
      assertThat(got.size()).as("size of k%d", key).isEqualTo(VALUE_BYTES);
      assertThat(got.toByteArray()).as("k%d", key).isEqualTo(value(key));
    }
  }
}
