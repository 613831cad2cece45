package dev.mqttsidecar.broker.model;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * One thing a client, or whoever runs the broker, does. A failing run prints its shrunk list of
 * steps. Client steps address client {@code c<client>}. An offline client first connects for {@link
 * Subscribe} and {@link Unsubscribe} (resuming its session, or starting one of {@link
 * #LONG_EXPIRY}), publishes through a separate clean connection, and ignores the other steps.
 */
public sealed interface Step {
  int CLIENTS = 3;

  /** The shared subscription every group step uses; only {@link #GROUP_TOPIC} matches it. */
  String SHARED_FILTER = "$share/grp/g/#";

  String GROUP_TOPIC = "g/1";
  List<String> PLAIN_TOPICS = List.of("t/1", "t/2");
  List<String> PLAIN_FILTERS = List.of("t/1", "t/2", "t/+", "t/#");

  static String clientId(int client) {
    return "c" + client;
  }

  /** A Session Expiry Interval short enough to run out within a run. */
  int SHORT_EXPIRY = 1;

  int LONG_EXPIRY = 3600;

  /** The most messages one {@link Publish} step sends. */
  int MAX_BURST = 20;

  /** CONNECT; on an online client a second connection takes the session over. */
  record Connect(int client, boolean mqtt5, boolean cleanStart, Integer sessionExpiry)
      implements Step {}

  /** DISCONNECT; a 5.0 client may change its Session Expiry Interval on the way out. */
  record Disconnect(int client, Integer newSessionExpiry) implements Step {}

  /** The network connection breaks (no DISCONNECT). */
  record Drop(int client) implements Step {}

  record Subscribe(int client, String filter, int qos, boolean noLocal) implements Step {}

  record Unsubscribe(int client, String filter) implements Step {}

  /** {@code count} messages back to back: a backlog long enough to race a session's resume. */
  record Publish(
      int client, String topic, int qos, boolean retain, Integer messageExpiry, int count)
      implements Step {}

  /** The broker stops and starts again on the same data. */
  record Restart() implements Step {}

  /** The broker process is killed with SIGKILL and started again on the same data. */
  record Crash() implements Step {}

  /** Time passes, longer than {@link #SHORT_EXPIRY}. */
  record Wait() implements Step {}

  /** Random sequences of {@code maxSteps/2..maxSteps} steps; {@code crashes} adds {@link Crash}. */
  static Arbitrary<List<Step>> sequences(int maxSteps, boolean crashes) {
    // Uneven odds give one client a long story (subscribe, leave, come back) in most runs.
    Arbitrary<Integer> client =
        Arbitraries.frequency(Tuple.of(5, 0), Tuple.of(3, 1), Tuple.of(2, 2));
    Arbitrary<Boolean> oneInFour = Arbitraries.integers().between(0, 3).map(i -> i == 0);
    Arbitrary<Integer> expiry =
        Arbitraries.frequency(
                Tuple.of(2, -1),
                Tuple.of(1, 0),
                Tuple.of(1, SHORT_EXPIRY),
                Tuple.of(2, LONG_EXPIRY))
            .map(v -> v < 0 ? null : v);
    Arbitrary<Integer> qos = Arbitraries.integers().between(0, 2);
    Arbitrary<Step> connect =
        Combinators.combine(
                client,
                Arbitraries.of(true, false),
                oneInFour, // Clean Start
                expiry)
            .as(Connect::new);
    Arbitrary<Step> disconnect = Combinators.combine(client, expiry).as(Disconnect::new);
    Arbitrary<Step> drop = client.map(Drop::new);
    Arbitrary<Step> plainSubscribe =
        Combinators.combine(
                client, Arbitraries.of(PLAIN_FILTERS), qos, Arbitraries.of(false, false, true))
            .as(Subscribe::new);
    Arbitrary<Step> sharedSubscribe =
        Combinators.combine(client, Arbitraries.integers().between(1, 2))
            .as((c, q) -> new Subscribe(c, SHARED_FILTER, q, false));
    Arbitrary<String> anyFilter =
        Arbitraries.oneOf(Arbitraries.of(PLAIN_FILTERS), Arbitraries.just(SHARED_FILTER));
    Arbitrary<Step> unsubscribe = Combinators.combine(client, anyFilter).as(Unsubscribe::new);
    Arbitrary<String> topic =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.of(PLAIN_TOPICS)), Tuple.of(1, Arbitraries.just(GROUP_TOPIC)));
    Arbitrary<Integer> messageExpiry =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just((Integer) null)),
            Tuple.of(1, Arbitraries.just(SHORT_EXPIRY)),
            Tuple.of(1, Arbitraries.just(LONG_EXPIRY)));
    Arbitrary<Integer> count =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(1)),
            Tuple.of(1, Arbitraries.integers().between(2, MAX_BURST)));
    Arbitrary<Step> publish =
        Combinators.combine(
                client, topic, qos, Arbitraries.of(false, false, false, true), messageExpiry, count)
            .as(Publish::new);
    List<Tuple2<Integer, Arbitrary<Step>>> steps = new ArrayList<>();
    steps.add(Tuple.of(3, connect));
    steps.add(Tuple.of(5, disconnect));
    steps.add(Tuple.of(2, drop));
    steps.add(Tuple.of(3, plainSubscribe));
    steps.add(Tuple.of(2, sharedSubscribe));
    steps.add(Tuple.of(1, unsubscribe));
    steps.add(Tuple.of(9, publish));
    steps.add(Tuple.of(1, Arbitraries.just(new Restart())));
    steps.add(Tuple.of(1, Arbitraries.just(new Wait())));
    if (crashes) {
      steps.add(Tuple.of(1, Arbitraries.just(new Crash())));
    }
    Arbitrary<Step> step = Arbitraries.frequencyOf(steps);
    return step.list().ofMinSize(maxSteps / 2).ofMaxSize(maxSteps);
  }
}
