package dev.mqttsidecar.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.PublishResult.Status;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.QueueContext;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionContext;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.SubscriptionIndex;
import dev.mqttsidecar.broker.subscription.TopicRules;
import dev.mqttsidecar.broker.testing.ManualScheduler;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RecordingOutbound;
import dev.mqttsidecar.broker.testing.SwitchableRetainedPersistence;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The publish path without a network: validation, retained storage, matching and queueing, with the
 * real index and router and sessions that run their tasks at once.
 */
class PublishServiceTest {
  private static final int MAX_PAYLOAD = 4;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SwitchableRetainedPersistence retainedStore = new SwitchableRetainedPersistence();
  private QueuePersistence queues = QueuePersistence.NONE;
  private int maxQueued = 100;
  private boolean running = true;
  private SessionContext ctx;
  private SubscriptionIndex index;
  private RetainedService retained;
  private PublishService publisher;

  private void start() {
    QueueContext queueing =
        new QueueContext(
            Runnable::run,
            clock,
            maxQueued,
            Long.MAX_VALUE,
            QueueOverflow.DROP_NEWEST,
            new Counters(),
            queues);
    ctx =
        new SessionContext(queueing, new ManualScheduler(clock), s -> {}, SessionPersistence.NONE);
    index = new SubscriptionIndex(queueing);
    MessageRouter router = new MessageRouter(index);
    retained =
        new RetainedService(
            retainedStore, TopicRules.SPEC, MAX_PAYLOAD, clock, m -> router.route(m, null));
    publisher =
        new PublishService(router, retained, TopicRules.SPEC, MAX_PAYLOAD, clock, () -> running);
  }

  /** An online subscriber of {@code filter}. */
  private RecordingOutbound subscriber(String id, String filter, SubscriptionOptions options) {
    Session s = offlineSubscriber(id, filter, options);
    RecordingOutbound out = RecordingOutbound.mqtt();
    s.attach(out, 10, () -> {});
    return out;
  }

  private Session offlineSubscriber(String id, String filter, SubscriptionOptions options) {
    Session s = new Session(id, id, ctx);
    index.subscribe(s, TopicRules.SPEC.parseFilter(filter), options);
    return s;
  }

  private static Message message(String topic, String payload, Qos qos, boolean retain) {
    return Message.of(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
  }

  private PublishResult publish(Message m) {
    CompletableFuture<PublishResult> result = publisher.publish(m, null);
    assertThat(result).isDone();
    return result.join();
  }

  @Test
  void aStoppedBrokerRefusesEveryMessage() {
    start();
    RecordingOutbound out = subscriber("s", "#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
    running = false;
    PublishResult r = publish(message("a", "x", Qos.AT_LEAST_ONCE, false));
    assertThat(r.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(r.matchedSubscribers()).isZero();
    assertThat(out.sent()).isEmpty();
  }

  @Test
  void anInvalidTopicOrATooLargePayloadIsRefusedBeforeMatching() {
    start();
    RecordingOutbound out = subscriber("s", "#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
    assertThat(publish(message("a/+", "x", Qos.AT_MOST_ONCE, false)).status())
        .isEqualTo(Status.INVALID_TOPIC);
    assertThat(publish(message("", "x", Qos.AT_MOST_ONCE, false)).status())
        .isEqualTo(Status.INVALID_TOPIC);
    assertThat(publish(message("a", "12345", Qos.AT_MOST_ONCE, false)).status())
        .isEqualTo(Status.TOO_LARGE);
    assertThat(out.sent()).isEmpty();
    assertThat(publish(message("a", "1234", Qos.AT_MOST_ONCE, false)))
        .isEqualTo(PublishResult.accepted(1));
    assertThat(out.sent()).containsExactly("PUBLISH - qos0 a");
  }

  @Test
  void anExpiredMessageIsAcceptedForNoOne() {
    start();
    RecordingOutbound out = subscriber("s", "#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
    Message expired =
        new Message(
            "a", new byte[] {1}, Qos.AT_LEAST_ONCE, true, MessageProperties.NONE, clock.instant());
    assertThat(publish(expired)).isEqualTo(PublishResult.accepted(0));
    assertThat(out.sent()).isEmpty();
    assertThat(retained.get("a")).isEmpty(); // nor retained
  }

  @Test
  void eachMatchingSubscriptionGetsTheMessageAtItsGrantedQos() {
    start();
    RecordingOutbound one = subscriber("one", "a/+", SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
    RecordingOutbound zero = subscriber("zero", "a/b", SubscriptionOptions.of(Qos.AT_MOST_ONCE));
    RecordingOutbound other = subscriber("other", "x", SubscriptionOptions.of(Qos.EXACTLY_ONCE));
    assertThat(publish(message("a/b", "x", Qos.EXACTLY_ONCE, false)))
        .isEqualTo(PublishResult.accepted(2));
    assertThat(one.sent()).containsExactly("PUBLISH 1 qos1 a/b"); // [MQTT-3.8.4-8]
    assertThat(zero.sent()).containsExactly("PUBLISH - qos0 a/b");
    assertThat(other.sent()).isEmpty();
  }

  @Test
  void noLocalSkipsThePublishersOwnSubscription() {
    start();
    RecordingOutbound self =
        subscriber("me", "a", new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, false, 0));
    PublishResult r = publisher.publish(message("a", "x", Qos.AT_LEAST_ONCE, false), "me").join();
    assertThat(r).isEqualTo(PublishResult.accepted(0)); // [MQTT-3.8.3-3]
    assertThat(self.sent()).isEmpty();
    assertThat(publisher.publish(message("a", "x", Qos.AT_LEAST_ONCE, false), "you").join())
        .isEqualTo(PublishResult.accepted(1));
  }

  @Test
  void aFullQueueIsReportedAsAQuota() {
    maxQueued = 1;
    start();
    offlineSubscriber("s", "a", SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
    assertThat(publish(message("a", "1", Qos.AT_LEAST_ONCE, false)))
        .isEqualTo(PublishResult.accepted(1));
    PublishResult r = publish(message("a", "2", Qos.AT_LEAST_ONCE, false));
    assertThat(r.status()).isEqualTo(Status.QUOTA_EXCEEDED);
    assertThat(r.matchedSubscribers()).isEqualTo(1);
    assertThat(r.reason()).isEqualTo("queue full: dropped for 1 of 1 matching subscriptions");
  }

  @Test
  void aRetainedMessageIsStoredAndDeliveredOnceAndAnEmptyOneClearsIt() {
    start();
    RecordingOutbound out = subscriber("s", "r", SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
    assertThat(publish(message("r", "v1", Qos.AT_LEAST_ONCE, true)))
        .isEqualTo(PublishResult.accepted(1));
    assertThat(out.sent()).containsExactly("PUBLISH 1 qos1 r");
    assertThat(retained.get("r").orElseThrow().message().payload())
        .isEqualTo("v1".getBytes(StandardCharsets.UTF_8));

    assertThat(publish(message("r", "", Qos.AT_LEAST_ONCE, true)).status())
        .isEqualTo(Status.ACCEPTED);
    assertThat(retained.get("r")).isEmpty(); // [MQTT-3.3.1-10]
  }

  @Test
  void aRetainedMessageTheStoreRefusesIsNeverAccepted() {
    start();
    retainedStore.fail(true);
    PublishResult failed = publish(message("r", "v1", Qos.AT_LEAST_ONCE, true));
    assertThat(failed.status()).isEqualTo(Status.STORAGE_FAILED);
    assertThat(failed.matchedSubscribers()).isZero();
    assertThat(failed.reason()).contains("no space left on device");

    retainedStore.fail(false);
    retainedStore.overload();
    assertThat(publish(message("r", "v2", Qos.AT_LEAST_ONCE, true)).status())
        .isEqualTo(Status.QUOTA_EXCEEDED);
  }

  @Test
  void aQueuedCopyTheStoreRefusesFailsThePublish() {
    queues =
        new QueuePersistence() {
          @Override
          public CompletableFuture<Void> append(String queueId, long sequence, Message message) {
            return CompletableFuture.failedFuture(new StorageException("No space left on device"));
          }

          @Override
          public CompletableFuture<Void> remove(String queueId, long sequence) {
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public CompletableFuture<Void> drop(String queueId) {
            return CompletableFuture.completedFuture(null);
          }
        };
    start();
    Session persistent = offlineSubscriber("s", "a", SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
    persistent.setExpiry(Duration.ofMinutes(1));
    PublishResult r = publish(message("a", "x", Qos.AT_LEAST_ONCE, false));
    assertThat(r.status()).isEqualTo(Status.STORAGE_FAILED);
    assertThat(r.reason()).contains("No space left on device");
    // QoS 0 is never stored (an offline session drops it), so the failing store is not asked.
    assertThat(publish(message("a", "x", Qos.AT_MOST_ONCE, false)))
        .isEqualTo(PublishResult.accepted(1));
  }
}
