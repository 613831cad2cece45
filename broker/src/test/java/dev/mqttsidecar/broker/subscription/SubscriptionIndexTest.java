package dev.mqttsidecar.broker.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.QueueContext;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionContext;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final QueueContext queueing =
      new QueueContext(
          Runnable::run,
          Clock.systemUTC(),
          10,
          Long.MAX_VALUE,
          BrokerConfig.QueueOverflow.DROP_NEWEST,
          new Counters(),
          QueuePersistence.NONE);
  private final SessionContext ctx =
      new SessionContext(queueing, timers, s -> {}, SessionPersistence.NONE);
  private final SubscriptionIndex index = new SubscriptionIndex(queueing);
  private final TopicRules rules = TopicRules.SPEC;

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  private Session session(String id) {
    return new Session(id, id, ctx);
  }

  private void sub(Session s, String filter, Qos qos) {
    index.subscribe(s, rules.parseFilter(filter), SubscriptionOptions.of(qos));
  }

  @Test
  void filtersUnderAFirstLevelAreKnownWithoutMatching() {
    Session a = session("a");
    sub(a, "#", Qos.AT_MOST_ONCE);
    sub(a, "+/clients/#", Qos.AT_MOST_ONCE);
    // Wildcards at the first level never match a $-topic [MQTT-4.7.2-1].
    assertThat(index.hasFiltersUnder("$events")).isFalse();
    sub(a, "$share/g/$events/clients/+/connected", Qos.AT_LEAST_ONCE);
    assertThat(index.hasFiltersUnder("$events")).isTrue();
    index.unsubscribe(a, rules.parseFilter("$share/g/$events/clients/+/connected"));
    assertThat(index.hasFiltersUnder("$events")).isFalse();
    sub(a, "$events/#", Qos.AT_LEAST_ONCE);
    assertThat(index.hasFiltersUnder("$events")).isTrue();
  }

  @Test
  void aSessionThatNeverSubscribedCanBeUnsubscribedAndCleared() {
    Session a = session("a");
    assertThat(a.subscriptions()).isEmpty();
    assertThat(index.unsubscribe(a, rules.parseFilter("x/y"))).isFalse();
    index.removeAll(a, rules);
    assertThat(a.subscriptions()).isEmpty();
    assertThat(a.groups()).isEmpty();
  }

  @Test
  void aSessionEndingWithoutSubscriptionsKeepsTheCachedMatches() {
    Session a = session("a");
    sub(a, "x/y", Qos.AT_MOST_ONCE);
    var before = index.match("x/y");
    index.removeAll(session("idle"), rules); // a client that never subscribed disconnects
    assertThat(index.match("x/y")).isSameAs(before);
    index.removeAll(a, rules);
    assertThat(index.match("x/y").sessions()).isEmpty();
  }

  @Test
  void matchesExactAndWildcards() {
    Session a = session("a");
    Session b = session("b");
    sub(a, "x/y", Qos.AT_MOST_ONCE);
    sub(b, "x/+", Qos.AT_LEAST_ONCE);
    sub(b, "#", Qos.EXACTLY_ONCE);
    var m = index.match("x/y");
    assertThat(m.sessions()).containsOnlyKeys(a, b);
    assertThat(SubscriptionIndex.maxQos(m.sessions().get(b)))
        .isEqualTo(Qos.EXACTLY_ONCE); // [MQTT-3.3.4-2]
    assertThat(index.match("x").sessions()).containsOnlyKeys(b);
    assertThat(index.match("$x/y").sessions()).isEmpty(); // [MQTT-4.7.2-1]
  }

  @Test
  void resubscribeReplacesAndUnsubscribeRemoves() {
    Session a = session("a");
    assertThat(index.subscribe(a, rules.parseFilter("t"), SubscriptionOptions.of(Qos.AT_MOST_ONCE)))
        .isTrue();
    assertThat(index.subscribe(a, rules.parseFilter("t"), SubscriptionOptions.of(Qos.EXACTLY_ONCE)))
        .isFalse(); // [MQTT-3.8.4-3]
    assertThat(index.match("t").sessions().get(a))
        .extracting(SubscriptionOptions::qos)
        .containsExactly(Qos.EXACTLY_ONCE);
    assertThat(index.unsubscribe(a, rules.parseFilter("t"))).isTrue();
    assertThat(index.unsubscribe(a, rules.parseFilter("t"))).isFalse();
    assertThat(index.match("t").count()).isZero();
    assertThat(a.subscriptions()).isEmpty();
  }

  @Test
  void sharedGroupsMatchOncePerGroupAndVanishWhenEmpty() {
    Session a = session("a");
    Session b = session("b");
    sub(a, "$share/g/t/#", Qos.AT_LEAST_ONCE);
    sub(b, "$share/g/t/#", Qos.AT_LEAST_ONCE);
    sub(b, "$share/h/t/#", Qos.AT_LEAST_ONCE);
    var m = index.match("t/1");
    assertThat(m.groups()).hasSize(2);
    assertThat(m.sessions()).isEmpty();
    index.removeAll(a, rules);
    assertThat(index.match("t/1").groups()).hasSize(2);
    index.removeAll(b, rules);
    assertThat(index.match("t/1").count()).isZero();
  }

  @Test
  void manyFiltersOnlyMatchingOnesReturned() {
    Session s = session("s");
    for (int i = 0; i < 100; i++) {
      sub(s, "dev/" + i + "/+", Qos.AT_MOST_ONCE);
    }
    assertThat(index.match("dev/42/temp").sessions().get(s)).hasSize(1);
    assertThat(index.match("dev/420/temp").count()).isZero();
    assertThat(List.copyOf(s.subscriptions().keySet())).hasSize(100);
  }
}
