package dev.mqttsidecar.bench.jmh;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionContext;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.SubscriptionIndex;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching a PUBLISH topic against the broker's subscription trie holding 100,000 subscriptions of
 * 100,000 sessions, shaped like a device fleet: {@code site/S/device/D/metric-M} with S, D < 100
 * and M < 10. Nine in ten subscriptions are exact, one in twenty has a {@code +} for the device,
 * one in twenty ends in {@code #}; a typical topic matches one exact, one {@code +} and one {@code
 * #} subscription.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicMatchBenchmark {
  static final int SUBSCRIPTIONS = 100_000;
  private static final int TOPICS = 4096;

  private ScheduledExecutorService scheduler;
  private SubscriptionIndex index;
  private String[] topics;
  private String[] unmatched;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    SessionContext ctx = BrokerInternals.sessionContext(scheduler);
    index = new SubscriptionIndex(BrokerInternals.queueContext());
    SubscriptionOptions options = SubscriptionOptions.of(Qos.AT_LEAST_ONCE);
    for (int i = 0; i < SUBSCRIPTIONS; i++) {
      int site = i % 100;
      int device = (i / 100) % 100;
      int metric = i / 10_000;
      String filter =
          switch (i % 20) {
            case 0 -> "site/" + site + "/device/+/metric-" + metric;
            case 1 -> "site/" + site + "/device/" + device + "/#";
            default -> "site/" + site + "/device/" + device + "/metric-" + metric;
          };
      Session session = new Session("s" + i, "s" + i, ctx);
      index.subscribe(session, TopicRules.SPEC.parseFilter(filter), options);
    }
    java.util.Random random = new java.util.Random(42);
    topics = new String[TOPICS];
    unmatched = new String[TOPICS];
    for (int i = 0; i < TOPICS; i++) {
      topics[i] =
          "site/"
              + random.nextInt(100)
              + "/device/"
              + random.nextInt(100)
              + "/metric-"
              + random.nextInt(10);
      unmatched[i] =
          "site/"
              + random.nextInt(100)
              + "/gateway/"
              + random.nextInt(100)
              + "/metric-"
              + random.nextInt(10);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scheduler.shutdownNow();
  }

  /** A topic with subscribers (exact, '+' and '#' ones). */
  @Benchmark
  public int matchSubscribed() {
    next = (next + 1) & (TOPICS - 1);
    return index.match(topics[next]).count();
  }

  /** A topic nobody subscribed to: the walk ends early. */
  @Benchmark
  public int matchUnsubscribed() {
    next = (next + 1) & (TOPICS - 1);
    return index.match(unmatched[next]).count();
  }
}
