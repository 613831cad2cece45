package dev.mqttsidecar.component.pubsub;

import static dev.mqttsidecar.component.pubsub.PublishTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Init and Features: metadata validation as daprd sees it at startup. */
class InitTest extends PubSubTestBase {

  @Test
  void theDocumentedComponentInitialisesWithExactlyTheHonouredFeatures() throws Exception {
    assertThat(daprd().listServices()).contains("dapr.proto.components.v1.PubSub");
    assertThat(daprd().initPubSub(component()))
        .containsExactlyInAnyOrder("SUBSCRIBE_WILDCARDS", "BULK_PUBSUB", "MESSAGE_TTL");
  }

  @Test
  void unknownKeysAreIgnored() throws Exception {
    assertThat(daprd().initPubSub(component().with("someFutureKey", "1"))).hasSize(3);
  }

  @Test
  void invalidValuesFailInitNamingTheKey() throws Exception {
    String[][] cases = {
      {"qos", "7"},
      {"qos", "one"},
      {"retain", "perhaps"},
      {"cleanSession", "2"},
      {"sessionExpirySeconds", "-1"},
      {"maxInflightMessages", "0"},
      {"cloudEvents", "json"},
      {"cloudEventAttributes", "Remap"},
      {"ackTimeoutSeconds", "0"},
      {"ackTimeoutSeconds", "soon"},
      {"redeliveryBackoff", "-1s"},
      {"maxDeliveries", "-3"},
      {"deadLetterTopic", "dead/#"},
      {"topicPrefix", "a/+/"},
      {"QoS", "7"}, // keys match case-insensitively, as in Dapr's components
    };
    for (String[] c : cases) {
      assertStatus(
          () -> daprd().initPubSub(component().with(c[0], c[1])),
          Status.Code.INVALID_ARGUMENT,
          "'" + c[0] + "'");
    }
  }

  @Test
  void durationsAcceptSecondsAndUnits() throws Exception {
    assertThat(
            daprd()
                .initPubSub(
                    component()
                        .with("ackTimeoutSeconds", "1.5")
                        .with("redeliveryBackoff", "250ms")))
        .hasSize(3);
    assertThat(
            daprd()
                .initPubSub(
                    component().with("ackTimeoutSeconds", "2m").with("redeliveryBackoff", "0")))
        .hasSize(3);
  }

  @Test
  void aStreamForAnUninitialisedInstanceEndsWithFailedPrecondition() throws Exception {
    try (DaprStream stream = DaprStream.open(daprd(), "nobody", "orders", java.util.Map.of())) {
      Status status = stream.endStatus(WAIT);
      assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }
  }

  @Test
  void aStreamWhoseFirstRequestNamesNoTopicIsRejected() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "", java.util.Map.of())) {
      assertThat(stream.endStatus(WAIT).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void callsBeforeInitFailWithFailedPrecondition() {
    assertStatus(
        () ->
            pubSub("mqtt-pubsub")
                .features(io.dapr.v1.ComponentProtos.FeaturesRequest.getDefaultInstance()),
        Status.Code.FAILED_PRECONDITION,
        "not initialised");
  }
}
