package dev.mqttsidecar.broker.retained;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The retained store as the state store uses it: versions, conditional multi-writes, expiry. */
@ExtendWith(LeakCheck.class)
class RetainedStoreIT {
  private final MutableClock clock = new MutableClock();
  private BrokerFixture fixture;
  private Broker broker;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start(BrokerConfig.builder().clock(clock));
    broker = fixture.broker();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static Message msg(String topic, String payload) {
    return Message.of(topic, payload.getBytes(UTF_8), Qos.AT_LEAST_ONCE, true);
  }

  private RetainedWriteResult write(RetainedWrite... writes) throws Exception {
    return broker.retained().write(List.of(writes)).get();
  }

  @Test
  void insertUpdateDeleteWithVersions() throws Exception {
    RetainedWriteResult created =
        write(RetainedWrite.set(msg("$state/a", "1"), RetainedWrite.ABSENT));
    assertThat(created.applied()).isTrue();
    long v1 = created.versions().get(0);
    assertThat(broker.retained().get("$state/a"))
        .get()
        .extracting(RetainedMessage::version)
        .isEqualTo(v1);

    RetainedWriteResult dup = write(RetainedWrite.set(msg("$state/a", "x"), RetainedWrite.ABSENT));
    assertThat(dup.status()).isEqualTo(RetainedWriteResult.Status.CONFLICT);
    assertThat(dup.failedIndex()).isZero();

    RetainedWriteResult updated = write(RetainedWrite.set(msg("$state/a", "2"), v1));
    assertThat(updated.applied()).isTrue();
    long v2 = updated.versions().get(0);
    assertThat(v2).isGreaterThan(v1);
    assertThat(write(RetainedWrite.set(msg("$state/a", "stale"), v1)).status())
        .isEqualTo(RetainedWriteResult.Status.CONFLICT);

    assertThat(write(RetainedWrite.delete("$state/a", v2)).versions()).containsExactly(0L);
    assertThat(broker.retained().get("$state/a")).isEmpty();
    assertThat(broker.retained().size()).isZero();
  }

  @Test
  void multiWriteIsAllOrNothingAndSeesEarlierWritesOfTheBatch() throws Exception {
    write(RetainedWrite.set(msg("k/a", "a0"), RetainedWrite.ANY_VERSION));
    RetainedWriteResult failed =
        write(
            RetainedWrite.set(msg("k/b", "b1"), RetainedWrite.ABSENT),
            RetainedWrite.set(msg("k/a", "a1"), 999_999));
    assertThat(failed.status()).isEqualTo(RetainedWriteResult.Status.CONFLICT);
    assertThat(failed.failedIndex()).isEqualTo(1);
    assertThat(broker.retained().get("k/b")).isEmpty();

    RetainedWriteResult ok =
        write(
            RetainedWrite.set(msg("k/b", "b1"), RetainedWrite.ABSENT),
            RetainedWrite.delete("k/a", RetainedWrite.ANY_VERSION),
            RetainedWrite.set(msg("k/a", "a2"), RetainedWrite.ABSENT));
    assertThat(ok.applied()).isTrue();
    assertThat(ok.versions().get(0)).isLessThan(ok.versions().get(2));
    assertThat(text(broker.retained().get("k/a").orElseThrow())).isEqualTo("a2");

    // A later write in the batch must name the version the earlier one produced.
    long vb = ok.versions().get(0);
    RetainedWriteResult chained =
        write(
            RetainedWrite.set(msg("k/b", "b2"), vb),
            RetainedWrite.set(msg("k/b", "b3"), vb + 1_000_000));
    assertThat(chained.status()).isEqualTo(RetainedWriteResult.Status.CONFLICT);
    assertThat(text(broker.retained().get("k/b").orElseThrow())).isEqualTo("b1");
  }

  @Test
  void invalidTopicIsRejectedAndNothingWritten() throws Exception {
    RetainedWriteResult r =
        write(
            RetainedWrite.set(msg("ok", "1"), RetainedWrite.ANY_VERSION),
            RetainedWrite.set(msg("bad/+", "2"), RetainedWrite.ANY_VERSION));
    assertThat(r.status()).isEqualTo(RetainedWriteResult.Status.INVALID);
    assertThat(broker.retained().get("ok")).isEmpty();
  }

  @Test
  void versionsIncreaseAcrossAllIngresses() throws Exception {
    long v1 =
        write(RetainedWrite.set(msg("t/1", "a"), RetainedWrite.ANY_VERSION)).versions().get(0);
    broker.publish(msg("t/2", "b")).get();
    long v2 = broker.retained().get("t/2").orElseThrow().version();
    long v3 =
        write(RetainedWrite.set(msg("t/1", "c"), RetainedWrite.ANY_VERSION)).versions().get(0);
    assertThat(v1).isLessThan(v2);
    assertThat(v2).isLessThan(v3);
  }

  @Test
  void listReturnsPrefixInTopicOrderAndGetSkipsExpired() throws Exception {
    write(RetainedWrite.set(msg("p/b", "b"), RetainedWrite.ANY_VERSION));
    write(RetainedWrite.set(msg("p/a", "a"), RetainedWrite.ANY_VERSION));
    write(RetainedWrite.set(msg("q/a", "x"), RetainedWrite.ANY_VERSION));
    Message expiring =
        new Message(
            "p/c",
            "c".getBytes(UTF_8),
            Qos.AT_LEAST_ONCE,
            true,
            MessageProperties.NONE,
            clock.instant().plusSeconds(10));
    write(RetainedWrite.set(expiring, RetainedWrite.ANY_VERSION));
    assertThat(broker.retained().list("p/"))
        .extracting(m -> m.message().topic())
        .containsExactly("p/a", "p/b", "p/c");

    clock.advance(Duration.ofSeconds(11));
    assertThat(broker.retained().get("p/c")).isEmpty();
    assertThat(broker.retained().list("p/"))
        .extracting(m -> m.message().topic())
        .containsExactly("p/a", "p/b");
    // An expired message counts as absent for an insert.
    assertThat(write(RetainedWrite.set(msg("p/c", "new"), RetainedWrite.ABSENT)).applied())
        .isTrue();
  }

  @Test
  void emptyRetainedPublishClears() throws Exception {
    broker.publish(msg("c", "v")).get();
    assertThat(broker.retained().get("c")).isPresent();
    broker.publish(msg("c", "")).get(); // [MQTT-3.3.1-10]
    assertThat(broker.retained().get("c")).isEmpty();
  }

  @Test
  void liveSubscribersReceiveFinalValuesIncludingDeletes() throws Exception {
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    broker.subscribe(
        new SubscriptionRequest("w", "$state/#", Qos.AT_LEAST_ONCE, 10, Duration.ZERO), sub);
    write(
        RetainedWrite.set(msg("$state/x", "1"), RetainedWrite.ANY_VERSION),
        RetainedWrite.set(msg("$state/x", "2"), RetainedWrite.ANY_VERSION),
        RetainedWrite.set(msg("$state/y", "y"), RetainedWrite.ANY_VERSION));
    Delivery x = sub.next();
    assertThat(x.message().topic()).isEqualTo("$state/x");
    assertThat(RecordingSubscriber.text(x)).isEqualTo("2");
    assertThat(x.message().retain()).isTrue();
    assertThat(sub.next().message().topic()).isEqualTo("$state/y");
    write(RetainedWrite.delete("$state/x", RetainedWrite.ANY_VERSION));
    Delivery del = sub.next();
    assertThat(del.message().topic()).isEqualTo("$state/x");
    assertThat(del.message().payloadSize()).isZero();
    sub.expectNothing(Duration.ofMillis(200));
  }

  @Test
  void concurrentCompareAndSetLosesNoUpdate() throws Exception {
    write(RetainedWrite.set(msg("counter", "0"), RetainedWrite.ANY_VERSION));
    int writers = 8;
    int incrementsEach = 50;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < incrementsEach; i++) {
                    for (int attempt = 0; attempt < 10_000; attempt++) {
                      RetainedMessage cur = broker.retained().get("counter").orElseThrow();
                      int n = Integer.parseInt(text(cur)) + 1;
                      RetainedWriteResult r =
                          broker
                              .retained()
                              .write(
                                  List.of(RetainedWrite.set(msg("counter", "" + n), cur.version())))
                              .join();
                      if (r.applied()) {
                        break;
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(text(broker.retained().get("counter").orElseThrow()))
        .isEqualTo("" + writers * incrementsEach);
  }

  @Test
  void retainedMessagesAreDeliveredOnSubscribe() throws Exception {
    broker.publish(msg("r/1", "one")).get();
    broker.publish(msg("r/2", "two")).get();
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    broker.subscribe(
        new SubscriptionRequest("s", "r/+", Qos.AT_LEAST_ONCE, 10, Duration.ZERO), sub);
    List<String> got =
        List.of(RecordingSubscriber.text(sub.next()), RecordingSubscriber.text(sub.next()));
    assertThat(got).containsExactlyInAnyOrder("one", "two");
    assertThat(sub.all()).allMatch(d -> d.message().retain());
  }

  @Test
  void listIsInTopicOrderAndItsPrefixMayEndInsideALevel() throws Exception {
    for (String t : List.of("s/a/b", "s/a-b", "s/a", "s/ab/c", "s/b", "sa", "$s/a")) {
      write(RetainedWrite.set(msg(t, t), RetainedWrite.ANY_VERSION));
    }

    // By the topic string: '-' sorts before '/', which a walk level by level would not give.
    assertThat(broker.retained().list("s/a"))
        .extracting(m -> m.message().topic())
        .containsExactly("s/a", "s/a-b", "s/a/b", "s/ab/c");
    assertThat(broker.retained().list("s"))
        .extracting(m -> m.message().topic())
        .containsExactly("s/a", "s/a-b", "s/a/b", "s/ab/c", "s/b", "sa");
    assertThat(broker.retained().list("")).hasSize(7);
  }

  @Test
  void aLeadingWildcardGetsTheRetainedMessagesBelowItButNoDollarTopics() throws Exception {
    for (String t : List.of("x/dev/1/temp", "y/dev/2/temp", "x/dev/1/rssi", "$sys/dev/3/temp")) {
      broker.publish(msg(t, t)).get();
    }
    RecordingSubscriber sub = RecordingSubscriber.autoAck();
    broker.subscribe(
        new SubscriptionRequest("s", "+/dev/+/temp", Qos.AT_LEAST_ONCE, 10, Duration.ZERO), sub);

    List<String> got =
        List.of(RecordingSubscriber.text(sub.next()), RecordingSubscriber.text(sub.next()));
    assertThat(got).containsExactlyInAnyOrder("x/dev/1/temp", "y/dev/2/temp");
    sub.expectNothing(Duration.ofMillis(200)); // [MQTT-4.7.2-1]
  }

  private static String text(RetainedMessage m) {
    return new String(m.message().payload(), UTF_8);
  }
}
