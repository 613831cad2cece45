package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.Pubsub.BulkMessageEntry;
import dapr.proto.components.v1.Pubsub.BulkPublishRequest;
import dapr.proto.components.v1.Pubsub.BulkPublishResponse;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import io.dapr.v1.ComponentProtos;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The cases of Dapr's pub/sub conformance suite (components-contrib tests/conformance/pubsub), run
 * the way its harness drives a pluggable component: raw bytes through Publish, handlers on
 * PullMessages streams.
 */
class PubSubConformanceTest extends PubSubTestBase {

  @Test
  void pingAndFeatures() throws Exception {
    List<String> features = daprd().initPubSub(component());
    assertThat(features)
        .containsExactlyInAnyOrder("SUBSCRIBE_WILDCARDS", "BULK_PUBSUB", "MESSAGE_TTL");
    pubSub(component().name()).ping(ComponentProtos.PingRequest.getDefaultInstance());
  }

  @Test
  void tenMessagesArriveInOrder() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "testTopic", Map.of(), m -> null)) {
      awaitSubscribers("testTopic", 1);
      String run = UUID.randomUUID().toString();
      List<String> sent = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        String data = "message-" + run + "-" + k;
        sent.add(data);
        publishRaw(pubsub, "testTopic", utf8(data), Map.of());
      }
      Awaitility.await().atMost(WAIT).until(() -> stream.handled().size() >= 10);
      assertThat(stream.handled())
          .extracting(m -> m.getData().toStringUtf8())
          .containsExactlyElementsOf(sent);
      assertThat(stream.handled())
          .allSatisfy(m -> assertThat(m.getTopicName()).isEqualTo("testTopic"));
      Thread.sleep(QUIET.toMillis());
      assertThat(stream.handled()).as("no duplicates").hasSize(10);
    }
  }

  @Test
  void failedMessagesAreRedeliveredAndTheRestStayInOrder() throws Exception {
    String pubsub = init(component());
    String run = UUID.randomUUID().toString();
    AtomicInteger calls = new AtomicInteger();
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    // The suite's handler: fail the first 2 and every 5th message it sees.
    try (DaprStream stream =
        DaprStream.open(
            daprd(),
            pubsub,
            "testTopic",
            Map.of(),
            m -> {
              int n = calls.incrementAndGet();
              if (n <= 2 || n % 5 == 0) {
                failedOnce.add(m.getData().toStringUtf8());
                return "handler failure " + n;
              }
              return null;
            })) {
      awaitSubscribers("testTopic", 1);
      List<String> sent = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        sent.add("message-" + run + "-" + k);
        publishRaw(pubsub, "testTopic", utf8(sent.get(k)), Map.of());
      }
      Awaitility.await().atMost(WAIT).until(() -> stream.ackedData().containsAll(sent));
      assertThat(failedOnce).isNotEmpty();
      List<String> firstSuccesses = stream.ackedData();
      assertThat(firstSuccesses)
          .as("each message acked exactly once")
          .containsExactlyInAnyOrderElementsOf(sent);
      // Messages that never failed keep their publishing order.
      List<String> neverFailed = sent.stream().filter(s -> !failedOnce.contains(s)).toList();
      assertThat(firstSuccesses.stream().filter(neverFailed::contains).toList())
          .containsExactlyElementsOf(neverFailed);
    }
  }

  @Test
  void eachTopicHandlerSeesOnlyItsTopic() throws Exception {
    String pubsub = init(component());
    try (DaprStream one = DaprStream.open(daprd(), pubsub, "multiTopic1", Map.of(), m -> null);
        DaprStream two = DaprStream.open(daprd(), pubsub, "multiTopic2", Map.of(), m -> null)) {
      awaitSubscribers("multiTopic1", 1);
      awaitSubscribers("multiTopic2", 1);
      for (int k = 0; k < 5; k++) {
        publishRaw(pubsub, "multiTopic1", utf8("one-" + k), Map.of());
        publishRaw(pubsub, "multiTopic2", utf8("two-" + k), Map.of());
      }
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> one.handled().size() == 5 && two.handled().size() == 5);
      assertThat(one.handled())
          .extracting(m -> m.getData().toStringUtf8())
          .allMatch(s -> s.startsWith("one-"));
      assertThat(two.handled())
          .extracting(m -> m.getData().toStringUtf8())
          .allMatch(s -> s.startsWith("two-"));
      assertThat(one.handled())
          .extracting(PullMessagesResponse::getTopicName)
          .containsOnly("multiTopic1");
    }
  }

  @Test
  void cancellingOneStreamLeavesTheOtherUndisturbed() throws Exception {
    String pubsub = init(component());
    DaprStream one = DaprStream.open(daprd(), pubsub, "multiTopic1", Map.of(), m -> null);
    try (DaprStream two = DaprStream.open(daprd(), pubsub, "multiTopic2", Map.of(), m -> null)) {
      awaitSubscribers("multiTopic1", 1);
      awaitSubscribers("multiTopic2", 1);
      for (int round = 0; round < 3; round++) {
        if (round == 1) {
          one.cancel();
          awaitSubscribers("multiTopic1", 0);
        }
        publishRaw(pubsub, "multiTopic1", utf8("one-" + round), Map.of());
        publishRaw(pubsub, "multiTopic2", utf8("two-" + round), Map.of());
        int expected = round + 1;
        Awaitility.await().atMost(WAIT).until(() -> two.handled().size() == expected);
      }
      assertThat(one.handled())
          .extracting(m -> m.getData().toStringUtf8())
          .containsExactly("one-0");
      assertThat(two.handled())
          .extracting(m -> m.getData().toStringUtf8())
          .containsExactly("two-0", "two-1", "two-2");
    }
  }

  @Test
  void bulkPublishDeliversEveryEntry() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "testTopic", Map.of(), m -> null)) {
      awaitSubscribers("testTopic", 1);
      BulkPublishRequest.Builder bulk =
          BulkPublishRequest.newBuilder().setPubsubName(pubsub).setTopic("testTopic");
      List<String> sent = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        sent.add("bulk-" + k);
        bulk.addEntries(
            BulkMessageEntry.newBuilder()
                .setEntryId(Integer.toString(k))
                .setEvent(ByteString.copyFromUtf8("bulk-" + k))
                .setContentType("text/plain"));
      }
      BulkPublishResponse response = pubSub(pubsub).bulkPublish(bulk.build());
      assertThat(response.getFailedEntriesList()).isEmpty();
      Awaitility.await().atMost(WAIT).until(() -> stream.handled().size() >= 10);
      assertThat(stream.handled())
          .extracting(m -> m.getData().toStringUtf8())
          .containsExactlyElementsOf(sent);
    }
  }

  @Test
  void bulkPublishReturnsOnlyFailedEntries() throws Exception {
    String pubsub = init(component());
    BulkPublishRequest bulk =
        BulkPublishRequest.newBuilder()
            .setPubsubName(pubsub)
            .setTopic("testTopic")
            .addEntries(
                BulkMessageEntry.newBuilder()
                    .setEntryId("good")
                    .setEvent(ByteString.copyFromUtf8("x")))
            .addEntries(
                BulkMessageEntry.newBuilder()
                    .setEntryId("bad")
                    .setEvent(ByteString.copyFromUtf8("y"))
                    .putMetadata("ttlInSeconds", "soon"))
            .build();
    BulkPublishResponse response = pubSub(pubsub).bulkPublish(bulk);
    assertThat(response.getFailedEntriesList()).hasSize(1);
    assertThat(response.getFailedEntries(0).getEntryId()).isEqualTo("bad");
    assertThat(response.getFailedEntries(0).getError())
        .contains("INVALID_ARGUMENT")
        .contains("ttlInSeconds");
  }

  @Test
  void bulkPublishOverMaxBulkPublishEntriesIsInvalidArgumentAndPublishesNothing() throws Exception {
    String pubsub = init(component().with("maxBulkPublishEntries", "3"));
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "testTopic", Map.of(), m -> null)) {
      awaitSubscribers("testTopic", 1);
      BulkPublishRequest.Builder bulk =
          BulkPublishRequest.newBuilder().setPubsubName(pubsub).setTopic("testTopic");
      for (int k = 0; k < 4; k++) {
        bulk.addEntries(
            BulkMessageEntry.newBuilder()
                .setEntryId(Integer.toString(k))
                .setEvent(ByteString.copyFromUtf8("bulk-" + k)));
      }
      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class, () -> pubSub(pubsub).bulkPublish(bulk.build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains("4 entries", "maxBulkPublishEntries (3)");
      bulk.removeEntries(3);
      assertThat(pubSub(pubsub).bulkPublish(bulk.build()).getFailedEntriesList()).isEmpty();
      Awaitility.await().atMost(WAIT).until(() -> stream.handled().size() >= 3);
      assertThat(stream.handled())
          .extracting(m -> m.getData().toStringUtf8())
          .containsExactly("bulk-0", "bulk-1", "bulk-2");
    }
  }
}
