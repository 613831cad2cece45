package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.PublishResult;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AckQueueTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
  }

  /** Completes itself the first time it is asked whether it is done, and answers "not yet". */
  private static final class CompletesWhileChecked extends CompletableFuture<PublishResult> {
    private boolean asked;

    @Override
    public boolean isDone() {
      if (!asked) {
        asked = true;
        complete(PublishResult.accepted(1)); // as another thread would, right after the check
        return false;
      }
      return super.isDone();
    }
  }

  private void await(int count) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() >= count);
  }

  /** Returns once the loop ran every task queued before: a completion's drain included. */
  private void runQueuedTasks() throws Exception {
    loop.submit(() -> {}).get(5, TimeUnit.SECONDS);
  }

  @Test
  void anOutcomeCompletingDuringTheCheckIsStillAcknowledged() throws Exception {
    AckQueue acks = new AckQueue(loop);
    loop.execute(() -> acks.add(new CompletesWhileChecked(), r -> sent.add("PUBACK 1")));
    await(1);
    assertThat(sent).containsExactly("PUBACK 1");
  }

  @Test
  void acknowledgementsKeepArrivalOrderWhateverOrderOutcomesComplete() throws Exception {
    AckQueue acks = new AckQueue(loop);
    CompletableFuture<PublishResult> first = new CompletableFuture<>();
    CompletableFuture<PublishResult> second = new CompletableFuture<>();
    loop.execute(
        () -> {
          acks.add(first, r -> sent.add("1"));
          acks.add(second, r -> sent.add("2"));
          acks.add(() -> sent.add("3")); // known at once, still after the two before it
        });
    second.complete(PublishResult.accepted(1)); // queues a drain on the loop
    runQueuedTasks();
    assertThat(sent).isEmpty(); // [MQTT-4.6.0-2]: 2 waits for 1
    first.complete(PublishResult.accepted(1));
    await(3);
    assertThat(sent).containsExactly("1", "2", "3");
  }
}
