package dev.mqttsidecar.broker.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.persistence.InMemoryRetainedPersistence;
import dev.mqttsidecar.broker.persistence.MemoryStorage;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.server.EmbeddedBroker;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Persistent sessions mirror their queues to QueuePersistence, and acknowledgements wait for it.
 */
@ExtendWith(LeakCheck.class)
class QueuePersistenceIT {

  /** Records calls; optionally fails appends. */
  static final class RecordingQueues implements QueuePersistence {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> ids = new CopyOnWriteArrayList<>();
    volatile boolean fail;

    @Override
    public CompletableFuture<Void> append(String queueId, long sequence, Message message) {
      calls.add("append " + sequence);
      ids.add(queueId);
      return fail
          ? CompletableFuture.failedFuture(new IllegalStateException("disk full"))
          : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> remove(String queueId, long sequence) {
      calls.add("remove " + sequence);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> drop(String queueId) {
      calls.add("drop");
      return CompletableFuture.completedFuture(null);
    }
  }

  private static EmbeddedBroker start(RecordingQueues queues) throws Exception {
    EmbeddedBroker b =
        new EmbeddedBroker(
            BrokerConfig.builder().host("127.0.0.1").port(0).build(),
            new MemoryStorage(new InMemoryRetainedPersistence(), queues));
    b.start();
    return b;
  }

  private static Message msg(String payload, Qos qos) {
    return Message.of("t", payload.getBytes(UTF_8), qos, false);
  }

  @Test
  void persistentSessionStoresQueuedMessagesAndForgetsThemWhenSettled() throws Exception {
    RecordingQueues queues = new RecordingQueues();
    EmbeddedBroker broker = start(queues);
    try {
      SubscriptionRequest req =
          new SubscriptionRequest("d", "t", Qos.AT_LEAST_ONCE, 10, Duration.ofMinutes(1));
      Subscription s = broker.subscribe(req, RecordingSubscriber.manual());
      s.close();
      broker.publish(msg("a", Qos.AT_LEAST_ONCE)).get();
      broker.publish(msg("b", Qos.AT_LEAST_ONCE)).get();
      broker.publish(msg("zero", Qos.AT_MOST_ONCE)).get();
      assertThat(queues.calls).containsExactly("append 1", "append 2");

      RecordingSubscriber sub = RecordingSubscriber.manual();
      broker.subscribe(req, sub);
      Delivery a = sub.next();
      Delivery b = sub.next();
      b.ack();
      a.ack();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queues.calls.size() == 4);
      assertThat(queues.calls).containsExactly("append 1", "append 2", "remove 2", "remove 1");
    } finally {
      broker.stop();
    }
    assertThat(queues.calls).endsWith("drop");
  }

  @Test
  void sessionWithoutExpiryIsNotStored() throws Exception {
    RecordingQueues queues = new RecordingQueues();
    EmbeddedBroker broker = start(queues);
    try {
      broker.subscribe(
          new SubscriptionRequest("v", "t", Qos.AT_LEAST_ONCE, 10, Duration.ZERO),
          RecordingSubscriber.autoAck());
      broker.publish(msg("a", Qos.AT_LEAST_ONCE)).get();
      assertThat(queues.calls).isEmpty();
    } finally {
      broker.stop();
    }
  }

  @Test
  void storageFailureFailsThePublish() throws Exception {
    RecordingQueues queues = new RecordingQueues();
    queues.fail = true;
    EmbeddedBroker broker = start(queues);
    try {
      broker.subscribe(
          new SubscriptionRequest("f", "t", Qos.AT_LEAST_ONCE, 10, Duration.ofMinutes(1)),
          RecordingSubscriber.manual());
      PublishResult r = broker.publish(msg("a", Qos.AT_LEAST_ONCE)).get();
      assertThat(r.status()).isEqualTo(PublishResult.Status.STORAGE_FAILED);
    } finally {
      broker.stop();
    }
  }

  @Test
  void durableGroupStoresItsQueueUntilAMemberSettles() throws Exception {
    RecordingQueues queues = new RecordingQueues();
    EmbeddedBroker broker = start(queues);
    try {
      String filter = "$share/g/t";
      Subscription s =
          broker.subscribe(
              new SubscriptionRequest("m1", filter, Qos.AT_LEAST_ONCE, 10, Duration.ofMinutes(1)),
              RecordingSubscriber.manual());
      s.close();
      broker.publish(msg("a", Qos.AT_LEAST_ONCE)).get();
      assertThat(queues.calls).containsExactly("append 1");
      RecordingSubscriber m2 = RecordingSubscriber.manual();
      broker.subscribe(
          new SubscriptionRequest("m2", filter, Qos.AT_LEAST_ONCE, 10, Duration.ZERO), m2);
      Delivery d = m2.next();
      assertThat(queues.calls).containsExactly("append 1"); // still stored while in flight
      d.ack();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queues.calls.size() == 2);
      assertThat(queues.calls).containsExactly("append 1", "remove 1");
      assertThat(queues.ids).allMatch(id -> id.startsWith("\u0000share/g/"));
    } finally {
      broker.stop();
    }
  }
}
