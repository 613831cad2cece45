package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.Pubsub.PauseRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dapr.proto.components.v1.Pubsub.ResumeRequest;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Pause/Resume (daprd's graceful shutdown: pause, drain in-flight work, then close). */
class PauseResumeTest extends PubSubTestBase {

  @Test
  void pauseStopsDeliveryAndResumeDeliversEverythingQueued() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null)) {
      awaitSubscribers("orders", 1);
      pubSub(pubsub).pause(PauseRequest.getDefaultInstance());
      pubSub(pubsub).pause(PauseRequest.getDefaultInstance()); // idempotent
      for (int i = 0; i < 5; i++) {
        publishEvent(pubsub, "orders", "paused-" + i);
      }
      Thread.sleep(QUIET.toMillis());
      assertThat(stream.handled()).isEmpty();
      pubSub(pubsub).resume(ResumeRequest.getDefaultInstance());
      Awaitility.await().atMost(WAIT).until(() -> stream.handled().size() == 5);
      assertThat(stream.handled())
          .extracting(m -> eventData(m.getData()))
          .containsExactly("paused-0", "paused-1", "paused-2", "paused-3", "paused-4");
    }
  }

  @Test
  void theMessageInFlightCanStillBeAckedWhilePausedAndNothingIsLostOnClose() throws Exception {
    String pubsub = init(component());
    DaprStream stream = DaprStream.open(daprd(), pubsub, "orders", Map.of());
    awaitSubscribers("orders", 1);
    publishEvent(pubsub, "orders", "first");
    publishEvent(pubsub, "orders", "second");
    PullMessagesResponse first = stream.next(WAIT);
    pubSub(pubsub).pause(PauseRequest.getDefaultInstance());
    stream.ack(first); // daprd drains the message being handled
    assertThat(stream.poll(QUIET)).as("nothing new while paused").isNull();
    stream.cancel(); // then closes the stream
    try (DaprStream next = DaprStream.open(daprd(), pubsub, "orders", Map.of())) {
      pubSub(pubsub).resume(ResumeRequest.getDefaultInstance());
      PullMessagesResponse second = next.next(WAIT);
      assertThat(eventData(second.getData())).isEqualTo("second");
      next.ack(second);
      assertThat(next.poll(QUIET)).isNull();
    }
  }
}
