package dev.mqttsidecar.state.grpc;

import static dev.mqttsidecar.state.grpc.StateCrudTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import io.dapr.v1.ComponentProtos;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-instance routing and isolation, key encoding, and writes from the MQTT side. */
class InstancesAndKeysTest extends HarnessTestBase {
  static final List<String> SPECIAL_KEYS =
      List.of(
          "app||plain",
          "app||a/b/c",
          "app||+",
          "app||#",
          "app||%",
          "app||%25",
          "app||a+b#c%d",
          "app||",
          "app||//",
          "app||/lead",
          "app||trail/",
          "app||nul\0x",
          "app||tab\tcr\r",
          "app||ümlaut ünïcödé",
          "app||日本語/キー",
          "app||emoji😀/🚀",
          "app||$SYS/x",
          "app||sp ace",
          "app||\u0085\u009f",
          "app||\uFFFF",
          "||",
          "app||a||b");

  @Test
  void callsForAnUninitialisedInstanceFailWithFailedPrecondition() {
    GrpcHarness.Client ghost = harness.client("ghost");
    var e = failure(() -> ghost.get("k"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    var f =
        failure(() -> ghost.state().features(ComponentProtos.FeaturesRequest.getDefaultInstance()));
    assertThat(f.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    var t =
        failure(() -> ghost.tx().transact(State.TransactionalStateRequest.getDefaultInstance()));
    assertThat(t.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void initRejectsBadMetadataNamingTheKey() {
    var e = failure(() -> harness.init("bad", Map.of("maxValueBytes", "big")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("maxValueBytes");
  }

  @Test
  void twoInstancesAreIsolated() {
    GrpcHarness.Client a = harness.init("a", Map.of());
    GrpcHarness.Client b = harness.init("b", Map.of());
    a.set("app||k", "from a");
    b.set("app||k", "from b");
    assertThat(a.text("app||k")).isEqualTo("from a");
    assertThat(b.text("app||k")).isEqualTo("from b");
    a.state().delete(GrpcHarness.deleteRequest("app||k").build());
    assertThat(a.get("app||k").getData()).isEmpty();
    assertThat(b.text("app||k")).isEqualTo("from b");
    assertThat(retained.get("$dapr/state/b/app||k")).isPresent();
  }

  @Test
  void defaultInstanceWithoutHeaderAndCustomPrefix() {
    GrpcHarness.Client noHeader = harness.init("", Map.of("topicPrefix", "site/kv/"));
    noHeader.set("k", "v");
    assertThat(retained.get("site/kv/k")).isPresent();
  }

  @Test
  void keysWithEverySpecialCharacterRoundTrip() {
    for (String key : SPECIAL_KEYS) {
      store.set(key, "\"" + key.length() + "\"");
    }
    for (String key : SPECIAL_KEYS) {
      assertThat(store.text(key)).as("key %s", key).isEqualTo("\"" + key.length() + "\"");
    }
    assertThat(retained.list("$dapr/state/store/"))
        .extracting(m -> m.message().topic())
        .allSatisfy(t -> assertThat(t.substring(1)).doesNotContain("+", "#", "\0"))
        .contains("$dapr/state/store/app||a%2Bb%23c%25d", "$dapr/state/store/app||a/b/c");
    List<String> queried = new ArrayList<>();
    store
        .query()
        .query(State.QueryRequest.newBuilder().setQuery(State.Query.getDefaultInstance()).build())
        .getItemsList()
        .forEach(i -> queried.add(i.getKey()));
    assertThat(queried).containsExactlyInAnyOrderElementsOf(SPECIAL_KEYS);
  }

  @Test
  void aValueAnMqttClientRetainedIsVisibleWithItsOwnEtag() {
    long version =
        retained.publishRetained(
            new Message(
                "$dapr/state/store/app||devices/d1",
                "{\"t\":21}".getBytes(StandardCharsets.UTF_8),
                Qos.AT_LEAST_ONCE,
                true,
                MessageProperties.NONE.withContentType("application/json"),
                null));
    State.GetResponse r = store.get("app||devices/d1");
    assertThat(r.getData().toStringUtf8()).isEqualTo("{\"t\":21}");
    assertThat(r.getEtag().getValue()).isEqualTo(Long.toString(version));
    assertThat(r.getContentType()).isEqualTo("application/json");
    // ...and a device clearing it deletes the key.
    retained.publishRetained(
        Message.of("$dapr/state/store/app||devices/d1", new byte[0], Qos.AT_LEAST_ONCE, true));
    assertThat(store.get("app||devices/d1").hasEtag()).isFalse();
  }

  @Test
  void setPublishesTheRetainedMessageSubscribersSee() {
    List<Message> seen = new ArrayList<>();
    retained.onPublish(seen::add);
    store
        .state()
        .set(
            GrpcHarness.setRequest("app||lamp", "on")
                .setContentType("text/plain")
                .putMetadata("ttlInSeconds", "30")
                .build());
    assertThat(seen).hasSize(1);
    Message m = seen.get(0);
    assertThat(m.topic()).isEqualTo("$dapr/state/store/app||lamp");
    assertThat(m.retain()).isTrue();
    assertThat(m.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
    assertThat(m.properties().contentType()).isEqualTo("text/plain");
    assertThat(m.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
  }
}
