package dev.mqttsidecar.broker.core;

import static dev.mqttsidecar.broker.testing.RecordingSubscriber.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** In-process subscribers: the sessions Dapr streams and consumer groups are built on. */
@ExtendWith(LeakCheck.class)
class InProcessSubscriberIT {
  private static final Duration SHORT = Duration.ofMillis(300);
  private BrokerFixture fixture;
  private Broker broker;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start();
    broker = fixture.broker();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static SubscriptionRequest request(
      String session, String filter, int maxInflight, Duration expiry) {
    return new SubscriptionRequest(session, filter, Qos.EXACTLY_ONCE, maxInflight, expiry);
  }

  private PublishResult publish(String topic, String payload, Qos qos) throws Exception {
    return broker.publish(Message.of(topic, payload.getBytes(UTF_8), qos, false)).get();
  }

  @Test
  void publishReachesSubscriberAndReportsMatches() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    broker.subscribe(request("s1", "orders/+", 10, Duration.ZERO), sub);

    PublishResult r = publish("orders/1", "hello", Qos.AT_LEAST_ONCE);

    assertThat(r.isAccepted()).isTrue();
    assertThat(r.matchedSubscribers()).isEqualTo(1);
    Delivery d = sub.next();
    assertThat(text(d)).isEqualTo("hello");
    assertThat(d.message().topic()).isEqualTo("orders/1");
    assertThat(d.deliveryCount()).isEqualTo(1);
    assertThat(publish("other", "x", Qos.AT_MOST_ONCE).matchedSubscribers()).isZero();
  }

  @Test
  void connectedSubscribersCountsEachOnlineSubscriberWhoseFilterMatches() throws Exception {
    assertThat(broker.connectedSubscribers("a/b")).isZero();
    Duration keep = Duration.ofMinutes(1);
    Subscription one =
        broker.subscribe(request("g1", "$share/g/a/+", 10, keep), RecordingSubscriber.autoAck());
    Subscription two =
        broker.subscribe(request("g2", "$share/g/a/+", 10, keep), RecordingSubscriber.autoAck());
    Subscription other =
        broker.subscribe(request("o", "x/y", 10, Duration.ZERO), RecordingSubscriber.autoAck());
    Mqtt5BlockingClient device = fixture.connect5("device");
    device.subscribeWith().topicFilter("a/#").send();

    assertThat(broker.connectedSubscribers("a/b")).isEqualTo(3); // each group member counts
    assertThat(broker.connectedSubscribers("a/b/c")).isEqualTo(1);
    one.close(); // its session stays for its expiry, offline
    assertThat(broker.connectedSubscribers("a/b")).isEqualTo(2);
    device.disconnect();
    fixture.awaitSubscribers("a/b", 1); // the broker handles the DISCONNECT asynchronously
    two.close();
    other.close();
    assertThat(broker.connectedSubscribers("a/b")).isZero();
  }

  @Test
  void qosIsDowngradedToTheSubscriptionMaximum() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    broker.subscribe(new SubscriptionRequest("s1", "t", Qos.AT_LEAST_ONCE, 10, Duration.ZERO), sub);
    publish("t", "x", Qos.EXACTLY_ONCE);
    assertThat(sub.next().message().qos()).isEqualTo(Qos.AT_LEAST_ONCE); // [MQTT-3.8.4-8]
  }

  @Test
  void invalidFilterIsRejected() {
    assertThatThrownBy(
            () ->
                broker.subscribe(
                    request("s", "a/#/b", 1, Duration.ZERO), RecordingSubscriber.manual()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                broker.subscribe(
                    request("s", "$share//a", 1, Duration.ZERO), RecordingSubscriber.manual()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void maxInflightBoundsUnsettledDeliveriesAndAckReleasesTheNext() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.manual();
    broker.subscribe(request("s1", "t", 2, Duration.ZERO), sub);
    for (int i = 0; i < 5; i++) {
      publish("t", "m" + i, Qos.AT_LEAST_ONCE);
    }
    Delivery d0 = sub.next();
    Delivery d1 = sub.next();
    sub.expectNothing(SHORT);
    d0.ack();
    assertThat(text(sub.next())).isEqualTo("m2");
    sub.expectNothing(SHORT);
    d1.ack();
    d1.ack(); // a second settle is ignored
    assertThat(text(sub.next())).isEqualTo("m3");
    sub.expectNothing(SHORT);
  }

  @Test
  void nackRedeliversWithIncrementedCountAfterTheDelay() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.manual();
    broker.subscribe(request("s1", "t", 1, Duration.ZERO), sub);
    publish("t", "a", Qos.AT_LEAST_ONCE);
    publish("t", "b", Qos.AT_LEAST_ONCE);
    Delivery first = sub.next();
    assertThat(text(first)).isEqualTo("a");
    first.nack(Duration.ofMillis(400));
    // The slot is free during the delay, so "b" goes first.
    Delivery b = sub.next();
    assertThat(text(b)).isEqualTo("b");
    b.ack();
    Delivery again = sub.next();
    assertThat(text(again)).isEqualTo("a");
    assertThat(again.deliveryCount()).isEqualTo(2);
    again.ack();
    sub.expectNothing(SHORT);
  }

  @Test
  void immediateNackRedeliversFirstInOrder() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.manual();
    broker.subscribe(request("s1", "t", 1, Duration.ZERO), sub);
    publish("t", "a", Qos.AT_LEAST_ONCE);
    publish("t", "b", Qos.AT_LEAST_ONCE);
    sub.next().nack(Duration.ZERO);
    Delivery again = sub.next();
    assertThat(text(again)).isEqualTo("a");
    assertThat(again.deliveryCount()).isEqualTo(2);
  }

  @Test
  void pauseStopsDeliveryAndResumeContinues() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    Subscription s = broker.subscribe(request("s1", "t", 10, Duration.ZERO), sub);
    s.pause();
    publish("t", "a", Qos.AT_LEAST_ONCE);
    sub.expectNothing(SHORT);
    s.resume();
    assertThat(text(sub.next())).isEqualTo("a");
  }

  @Test
  void closeWithoutExpiryEndsTheSession() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.manual();
    Subscription s = broker.subscribe(request("s1", "t", 10, Duration.ZERO), sub);
    publish("t", "a", Qos.AT_LEAST_ONCE);
    sub.next();
    s.close();
    assertThat(publish("t", "b", Qos.AT_LEAST_ONCE).matchedSubscribers()).isZero();
    RecordingSubscriber again = RecordingSubscriber.manual();
    broker.subscribe(request("s1", "t", 10, Duration.ZERO), again);
    again.expectNothing(SHORT);
  }

  @Test
  void sessionWithExpiryQueuesWhileDetachedAndRedeliversUnsettled() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.manual();
    Subscription s = broker.subscribe(request("durable", "t", 10, Duration.ofMinutes(1)), sub);
    publish("t", "a", Qos.AT_LEAST_ONCE);
    assertThat(text(sub.next())).isEqualTo("a");
    s.close(); // "a" unsettled: goes back to the queue
    assertThat(publish("t", "b", Qos.AT_LEAST_ONCE).matchedSubscribers()).isEqualTo(1);
    publish("t", "qos0-dropped-offline", Qos.AT_MOST_ONCE);

    RecordingSubscriber next = RecordingSubscriber.autoAck();
    broker.subscribe(request("durable", "t", 10, Duration.ofMinutes(1)), next);
    Delivery a = next.next();
    assertThat(text(a)).isEqualTo("a");
    assertThat(a.deliveryCount()).isEqualTo(2);
    assertThat(text(next.next())).isEqualTo("b");
    next.expectNothing(SHORT);
  }

  @Test
  void sessionExpiresAfterItsInterval() throws Exception {
    Subscription s =
        broker.subscribe(
            request("short", "t", 10, Duration.ofMillis(200)), RecordingSubscriber.manual());
    s.close();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> publish("t", "x", Qos.AT_LEAST_ONCE).matchedSubscribers() == 0);
  }

  @Test
  void newSubscriberWithSameSessionIdTakesOver() throws Exception {
    RecordingSubscriber first = RecordingSubscriber.manual();
    broker.subscribe(request("s", "t", 10, Duration.ofMinutes(1)), first);
    publish("t", "a", Qos.AT_LEAST_ONCE);
    first.next();
    RecordingSubscriber second = RecordingSubscriber.autoAck();
    broker.subscribe(request("s", "t", 10, Duration.ofMinutes(1)), second);
    Delivery a = second.next();
    assertThat(text(a)).isEqualTo("a");
    assertThat(a.deliveryCount()).isEqualTo(2);
    publish("t", "b", Qos.AT_LEAST_ONCE);
    assertThat(text(second.next())).isEqualTo("b");
    first.expectNothing(SHORT);
  }

  @Test
  void sharedGroupRoundRobinsAndRedeliversToAnotherMemberOnClose() throws Exception {
    RecordingSubscriber m1 = RecordingSubscriber.manual();
    RecordingSubscriber m2 = RecordingSubscriber.manual();
    Subscription s1 = broker.subscribe(request("m1", "$share/g/jobs/#", 10, Duration.ZERO), m1);
    broker.subscribe(request("m2", "$share/g/jobs/#", 10, Duration.ZERO), m2);
    for (int i = 0; i < 4; i++) {
      assertThat(publish("jobs/" + i, "j" + i, Qos.AT_LEAST_ONCE).matchedSubscribers())
          .isEqualTo(1);
    }
    List<String> got1 = List.of(text(m1.next()), text(m1.next()));
    List<String> got2 = List.of(text(m2.next()), text(m2.next()));
    assertThat(new HashSet<>(concat(got1, got2))).containsExactlyInAnyOrder("j0", "j1", "j2", "j3");
    m2.all().forEach(Delivery::ack);

    s1.close(); // m1's two unsettled jobs go to m2
    Set<String> redelivered = new HashSet<>();
    Delivery r1 = m2.next();
    Delivery r2 = m2.next();
    redelivered.add(text(r1));
    redelivered.add(text(r2));
    assertThat(redelivered).containsExactlyInAnyOrderElementsOf(got1);
    assertThat(r1.deliveryCount()).isEqualTo(2);
  }

  @Test
  void sharedGroupNackGoesToAnotherMember() throws Exception {
    RecordingSubscriber m1 = RecordingSubscriber.manual();
    RecordingSubscriber m2 = RecordingSubscriber.manual();
    broker.subscribe(request("m1", "$share/g/t", 1, Duration.ZERO), m1);
    broker.subscribe(request("m2", "$share/g/t", 1, Duration.ZERO), m2);
    publish("t", "a", Qos.AT_LEAST_ONCE);
    publish("t", "b", Qos.AT_LEAST_ONCE);
    Delivery d1 = m1.next();
    Delivery d2 = m2.next();
    d2.ack();
    String first = text(d1);
    d1.nack(Duration.ZERO);
    // Both members have a free slot now; the message is redelivered to one of them.
    Delivery again = pollEither(m1, m2);
    assertThat(text(again)).isEqualTo(first);
    assertThat(again.deliveryCount()).isEqualTo(2);
  }

  @Test
  void durableGroupQueuesWithoutMembersAndANewMemberPicksUp() throws Exception {
    Subscription s =
        broker.subscribe(
            request("m1", "$share/workers/t", 10, Duration.ofMinutes(1)),
            RecordingSubscriber.manual());
    s.close();
    for (int i = 0; i < 3; i++) {
      assertThat(publish("t", "q" + i, Qos.AT_LEAST_ONCE).matchedSubscribers()).isEqualTo(1);
    }
    RecordingSubscriber m2 = RecordingSubscriber.autoAck();
    broker.subscribe(request("m2", "$share/workers/t", 10, Duration.ZERO), m2);
    assertThat(List.of(text(m2.next()), text(m2.next()), text(m2.next())))
        .containsExactly("q0", "q1", "q2");
  }

  @Test
  void expiredMessagesAreNotDelivered() throws Exception {
    MutableClock clock = new MutableClock();
    fixture.close();
    fixture = BrokerFixture.start(BrokerConfig.builder().clock(clock));
    broker = fixture.broker();
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    Subscription s = broker.subscribe(request("s", "t", 10, Duration.ZERO), sub);
    s.pause();
    broker
        .publish(
            new Message(
                "t",
                "old".getBytes(UTF_8),
                Qos.AT_LEAST_ONCE,
                false,
                dev.mqttsidecar.broker.MessageProperties.NONE,
                clock.instant().plusMillis(100)))
        .get();
    publish("t", "fresh", Qos.AT_LEAST_ONCE);
    clock.advance(Duration.ofMillis(250));
    s.resume();
    assertThat(text(sub.next())).isEqualTo("fresh");
    sub.expectNothing(SHORT);
  }

  @Test
  void messageOrderIsPreservedPerTopic() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    broker.subscribe(request("s", "t", 5, Duration.ZERO), sub);
    for (int i = 0; i < 200; i++) {
      broker.publish(Message.of("t", ("" + i).getBytes(UTF_8), Qos.AT_LEAST_ONCE, false));
    }
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      got.add(text(sub.next()));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(got.get(i)).isEqualTo("" + i);
    }
  }

  @Test
  void closingAfterStopDoesNotBlock() throws Exception {
    Subscription s =
        broker.subscribe(
            request("late", "t", 10, Duration.ofMinutes(1)), RecordingSubscriber.manual());
    broker.stop();
    long start = System.nanoTime();
    s.close();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    assertThat(broker.publish(Message.of("t", new byte[0], Qos.AT_MOST_ONCE, false)).get().status())
        .isEqualTo(PublishResult.Status.UNAVAILABLE);
  }

  private static Delivery pollEither(RecordingSubscriber a, RecordingSubscriber b)
      throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      try {
        return a.next(Duration.ofMillis(50));
      } catch (AssertionError e) {
        try {
          return b.next(Duration.ofMillis(50));
        } catch (AssertionError ignored) {
          // try again
        }
      }
    }
    throw new AssertionError("no redelivery");
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
