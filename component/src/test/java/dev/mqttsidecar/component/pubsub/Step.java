package dev.mqttsidecar.component.pubsub;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * One thing that happens to the consumer groups of {@link ConsumerGroupRun}: the daprds of two apps
 * (consumer groups {@code g0} and {@code g1}) open and close streams, pause and resume, an app
 * publishes, the sidecar restarts, time passes. Every step is valid in every state (a step with
 * nothing to act on does nothing), so any shrunk list still runs. A failing run prints its list.
 */
sealed interface Step {

  /** Consumer groups: the apps {@code app-a} and {@code app-b}, each with its own daprd. */
  int GROUPS = 2;

  /** How long a {@link Reply#SLOW} app takes: below the ack timeout, so the ack counts. */
  int SLOW_MILLIS = 150;

  /**
   * How a stream handles a message: daprd acks at once, acks with an error, its ack never comes, or
   * it acks after {@link #SLOW_MILLIS} (the app is slow; meanwhile the next steps run).
   */
  enum Reply {
    ACK('A'),
    NACK('N'),
    NO_ACK('X'),
    SLOW('S');

    final char code;

    Reply(char code) {
      this.code = code;
    }

    static Reply of(char code) {
      for (Reply r : values()) {
        if (r.code == code) {
          return r;
        }
      }
      throw new IllegalArgumentException("reply " + code);
    }
  }

  /**
   * The daprd of group {@code group} opens a PullMessages stream that handles its n-th message with
   * {@code replies[n % length]}, written as {@code A} (ack), {@code N} (ack_error), {@code X} (no
   * ack: the ack timeout redelivers it), {@code S} (ack after {@link #SLOW_MILLIS}).
   */
  record Open(int group, String replies) implements Step {
    Reply reply(int n) {
      return Reply.of(replies.charAt(n % replies.length()));
    }

    @Override
    public String toString() {
      return "Open(g" + group + ", " + replies + ")";
    }
  }

  /** The daprd of group {@code group} cancels one of its open streams (the n-th, modulo). */
  record Close(int group, int which) implements Step {
    @Override
    public String toString() {
      return "Close(g" + group + ", #" + which + ")";
    }
  }

  /** An app publishes {@code count} messages on the topic (Publish rpc, one at a time). */
  record Publish(int count) implements Step {
    @Override
    public String toString() {
      return "Publish(" + count + ")";
    }
  }

  /** The daprd of group {@code group} calls Pause (as when it begins a graceful shutdown). */
  record Pause(int group) implements Step {
    @Override
    public String toString() {
      return "Pause(g" + group + ")";
    }
  }

  /** The daprd of group {@code group} calls Resume. */
  record Resume(int group) implements Step {
    @Override
    public String toString() {
      return "Resume(g" + group + ")";
    }
  }

  /**
   * The sidecar stops and starts again on the same data (fsync); the daprds reconnect and Init,
   * their streams are gone.
   */
  record Restart() implements Step {
    @Override
    public String toString() {
      return "Restart";
    }
  }

  /** Time passes: ack timeouts and redelivery backoffs run out. */
  record Wait(int millis) implements Step {
    @Override
    public String toString() {
      return "Wait(" + millis + "ms)";
    }
  }

  /** Random sequences of {@code minSteps..maxSteps} steps. */
  static Arbitrary<List<Step>> sequences(int minSteps, int maxSteps) {
    Arbitrary<Integer> group = Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(2, 1));
    Arbitrary<String> replies =
        Arbitraries.frequency(
                Tuple.of(4, Reply.ACK),
                Tuple.of(1, Reply.NACK),
                Tuple.of(1, Reply.NO_ACK),
                Tuple.of(2, Reply.SLOW))
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(rs -> rs.stream().map(r -> String.valueOf(r.code)).collect(Collectors.joining()));
    Arbitrary<Step> open = Combinators.combine(group, replies).as(Open::new);
    Arbitrary<Step> close =
        Combinators.combine(group, Arbitraries.integers().between(0, 2)).as(Close::new);
    Arbitrary<Step> publish = Arbitraries.integers().between(1, 3).map(Publish::new);
    Arbitrary<Step> pause = group.map(Pause::new);
    Arbitrary<Step> resume = group.map(Resume::new);
    Arbitrary<Step> restart = Arbitraries.just(new Restart());
    Arbitrary<Step> waits = Arbitraries.of(100, 300, 600).map(Wait::new);
    return Arbitraries.frequencyOf(
            Tuple.of(4, open),
            Tuple.of(2, close),
            Tuple.of(6, publish),
            Tuple.of(1, pause),
            Tuple.of(1, resume),
            Tuple.of(1, restart),
            Tuple.of(2, waits))
        .list()
        .ofMinSize(minSteps)
        .ofMaxSize(maxSteps);
  }
}
