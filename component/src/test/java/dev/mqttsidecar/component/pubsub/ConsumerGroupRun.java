package dev.mqttsidecar.component.pubsub;

import dapr.proto.components.v1.Pubsub.PauseRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dapr.proto.components.v1.Pubsub.ResumeRequest;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one sequence of {@link Step}s against a sidecar on a durable store (fsync) and checks
 * at-least-once delivery to every consumer group with {@link ConsumerGroupModel}.
 *
 * <p>Two apps share one Component YAML ({@code mqtt-pubsub}) through their own daprd connections,
 * with consumerIDs {@code app-a} (group {@code g0}) and {@code app-b} ({@code g1}), and subscribe
 * to one topic. Redelivery is quick ({@link #ACK_TIMEOUT}, {@link #BACKOFF}) and unlimited (no
 * maxDeliveries, no dead letter topic), so nothing may be discarded. After the steps each existing
 * group gets a stream that acks everything (its other streams then close), and every message owed
 * to a group must be acked by one of its streams within {@link #SETTLE}.
 *
 * <p>Uses {@link PubSubTestBase}'s daprd calls; the run, not JUnit, starts and stops the sidecar.
 */
final class ConsumerGroupRun extends PubSubTestBase implements AutoCloseable {
  static final String COMPONENT = "mqtt-pubsub";
  static final String TOPIC = "orders";
  static final List<String> APPS = List.of("app-a", "app-b");
  static final String ACK_TIMEOUT = "250ms";
  static final String BACKOFF = "10ms";
  static final Duration SETTLE = Duration.ofSeconds(30);
  static final int SMALL_WINDOW = 2;

  /** Totals over every sequence run in this JVM (shrinking included). */
  static final AtomicLong SEQUENCES = new AtomicLong();

  static final AtomicLong FAILED_SEQUENCES = new AtomicLong();
  static final AtomicLong STEPS = new AtomicLong();
  static final AtomicLong RESTARTS = new AtomicLong();
  static final AtomicLong PUBLISHED = new AtomicLong();
  static final AtomicLong PUBLISH_FAILURES = new AtomicLong();
  static final AtomicLong OWED = new AtomicLong();
  static final AtomicLong DELIVERIES = new AtomicLong();
  static final AtomicLong ACKS = new AtomicLong();
  static final AtomicLong DUPLICATE_ACKS = new AtomicLong();
  static final AtomicLong LONGEST_SETTLE_MILLIS = new AtomicLong();

  /** Where slow apps finish their messages. */
  private static final ScheduledExecutorService SLOW_APPS =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "slow-app");
            t.setDaemon(true);
            return t;
          });

  private final ConsumerGroupModel model = new ConsumerGroupModel();
  private final SubscribedStreams subscriptions = SubscribedStreams.watch();
  private final FakeDaprd[] daprds = new FakeDaprd[Step.GROUPS];
  private final List<List<DaprStream>> streams = new ArrayList<>();
  private final boolean[] paused = new boolean[Step.GROUPS];
  private int restarts;

  private ConsumerGroupRun(Path folder) {
    this.folder = folder;
    for (int g = 0; g < Step.GROUPS; g++) {
      streams.add(new ArrayList<>());
    }
  }

  /** Runs {@code steps} on a new sidecar, then checks that every group got what it is owed. */
  static void run(List<Step> steps) throws Exception {
    long started = System.nanoTime();
    SEQUENCES.incrementAndGet();
    Path folder = Files.createTempDirectory("consumer-groups");
    ConsumerGroupRun run = new ConsumerGroupRun(folder);
    boolean passed = false;
    try {
      run.start();
      for (Step step : steps) {
        run.apply(step);
        STEPS.incrementAndGet();
      }
      long settle = run.settle();
      LONGEST_SETTLE_MILLIS.accumulateAndGet(settle, Math::max);
      passed = true;
    } finally {
      run.close();
      deleteRecursively(folder);
      run.count(passed);
      System.out.printf(
          "consumer group model: %d steps, %s in %d ms%n",
          steps.size(), run.summary(passed), (System.nanoTime() - started) / 1_000_000);
    }
  }

  /**
   * The component YAML of the daprd of {@code group}: quick, unlimited redelivery; {@code g1}'s
   * streams hold at most {@link #SMALL_WINDOW} unsettled messages from the broker.
   */
  static ComponentYaml component(int group) {
    return component()
        .with("consumerID", APPS.get(group))
        .with("maxInflightMessages", group == 1 ? String.valueOf(SMALL_WINDOW) : "100")
        .with("ackTimeoutSeconds", ACK_TIMEOUT)
        .with("redeliveryBackoff", BACKOFF)
        .with("maxDeliveries", "0")
        .with("cleanSession", "false")
        .with("sessionExpirySeconds", "3600");
  }

  static String shareName(int group) {
    return TopicMapper.shareName(COMPONENT, APPS.get(group));
  }

  private void start() throws Exception {
    restartDurable();
    connectDaprds();
  }

  /** Each app's daprd connects and Inits the component: one instance per connection. */
  private void connectDaprds() {
    daprds[0] = daprd();
    for (int g = 1; g < Step.GROUPS; g++) {
      daprds[g] = new FakeDaprd(sidecar.socket());
    }
    for (int g = 0; g < Step.GROUPS; g++) {
      daprds[g].initPubSub(component(g));
    }
  }

  private void apply(Step step) throws Exception {
    if (step instanceof Step.Open open) {
      streams.get(open.group()).add(open(open));
    } else if (step instanceof Step.Close close) {
      List<DaprStream> open = streams.get(close.group());
      if (!open.isEmpty()) {
        open.remove(close.which() % open.size()).cancel();
      }
    } else if (step instanceof Step.Publish publish) {
      for (int i = 0; i < publish.count(); i++) {
        publish();
      }
    } else if (step instanceof Step.Pause pause) {
      daprds[pause.group()].pubSub(COMPONENT).pause(PauseRequest.getDefaultInstance());
      paused[pause.group()] = true;
    } else if (step instanceof Step.Resume resume) {
      resume(resume.group());
    } else if (step instanceof Step.Restart) {
      restart();
    } else if (step instanceof Step.Wait wait) {
      Thread.sleep(wait.millis()); // time passes
    } else {
      throw new IllegalArgumentException("unknown step " + step);
    }
  }

  /**
   * Opens a stream of {@code group} replying as {@code replies} says, and waits until it is
   * subscribed: from then on the group exists and queues every message published.
   */
  private DaprStream open(Step.Open replies) {
    int group = replies.group();
    int before = subscriptions.count(shareName(group));
    AtomicReference<DaprStream> self = new AtomicReference<>();
    DaprStream stream =
        DaprStream.open(daprds[group], COMPONENT, TOPIC, Map.of(), handler(replies, self));
    self.set(stream);
    Awaitility.await("stream of g" + group + " subscribed")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> subscriptions.count(shareName(group)) > before);
    model.subscribed(group);
    return stream;
  }

  private Function<PullMessagesResponse, String> handler(
      Step.Open replies, AtomicReference<DaprStream> stream) {
    int group = replies.group();
    AtomicInteger handled = new AtomicInteger();
    return message -> {
      String id = eventData(message.getData());
      model.delivered(group, id);
      return switch (replies.reply(handled.getAndIncrement())) {
        case ACK -> {
          model.acked(group, id);
          yield null;
        }
        case NACK -> "app failed";
        case NO_ACK -> DaprStream.NO_ACK;
        case SLOW -> {
          SLOW_APPS.schedule(
              () -> {
                try {
                  stream.get().ack(message);
                  model.acked(group, id);
                } catch (RuntimeException e) {
                  // the stream was closed meanwhile: daprd sends no ack
                }
              },
              Step.SLOW_MILLIS,
              TimeUnit.MILLISECONDS);
          yield DaprStream.NO_ACK;
        }
      };
    };
  }

  private void publish() {
    String id = model.publishing();
    try {
      publishEvent(COMPONENT, TOPIC, id);
      model.published(id);
    } catch (StatusRuntimeException e) {
      System.out.println("consumer group model: publishing " + id + " failed: " + e.getStatus());
      model.publishFailed();
    }
  }

  private void resume(int group) {
    daprds[group].pubSub(COMPONENT).resume(ResumeRequest.getDefaultInstance());
    paused[group] = false;
  }

  /** The sidecar stops and starts on the same data; the daprds reconnect and Init again. */
  private void restart() throws Exception {
    closeDaprds();
    restartDurable();
    connectDaprds();
    restarts++;
  }

  /**
   * The end of a sequence: each existing group resumes and gets a stream that acks everything; the
   * sequence's own streams close. Waits until every owed message was acked.
   *
   * @return how long that took, in milliseconds
   */
  private long settle() {
    long started = System.nanoTime();
    List<DaprStream> random = new ArrayList<>();
    for (int g = 0; g < Step.GROUPS; g++) {
      if (model.exists(g)) {
        if (paused[g]) {
          resume(g);
        }
        DaprStream healthy = open(new Step.Open(g, "A"));
        random.addAll(streams.get(g));
        streams.get(g).clear();
        streams.get(g).add(healthy);
      }
    }
    random.forEach(DaprStream::cancel);
    try {
      Awaitility.await("every owed message acked by each group")
          .atMost(SETTLE)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> model.missing().isEmpty());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "owed messages never acked within " + SETTLE + ", per group: " + model.missing(), e);
    }
    Map<String, List<String>> strangers = model.strangers();
    if (!strangers.isEmpty()) {
      throw new AssertionError(
          "messages delivered to a group that did not exist when they were published: "
              + strangers);
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  private String summary(boolean passed) {
    return String.format(
        "%s: %d published (%d failed), %d owed, %d deliveries, %d acks, %d duplicate acks, %d"
            + " restarts",
        passed ? "ok" : "FAILED",
        model.published(),
        model.publishFailures(),
        model.owedCount(),
        model.deliveries(),
        model.acks(),
        model.duplicateAcks(),
        restarts);
  }

  private void count(boolean passed) {
    if (!passed) {
      FAILED_SEQUENCES.incrementAndGet();
    }
    RESTARTS.addAndGet(restarts);
    PUBLISHED.addAndGet(model.published());
    PUBLISH_FAILURES.addAndGet(model.publishFailures());
    OWED.addAndGet(model.owedCount());
    DELIVERIES.addAndGet(model.deliveries());
    ACKS.addAndGet(model.acks());
    DUPLICATE_ACKS.addAndGet(model.duplicateAcks());
  }

  static String totals() {
    return String.format(
        "consumer group model totals: %d sequences (%d failed), %d steps, %d restarts, %d"
            + " messages published (%d publish failures), %d owed to groups, %d deliveries, %d"
            + " acks, %d duplicate acks, longest settling %d ms",
        SEQUENCES.get(),
        FAILED_SEQUENCES.get(),
        STEPS.get(),
        RESTARTS.get(),
        PUBLISHED.get(),
        PUBLISH_FAILURES.get(),
        OWED.get(),
        DELIVERIES.get(),
        ACKS.get(),
        DUPLICATE_ACKS.get(),
        LONGEST_SETTLE_MILLIS.get());
  }

  private void closeDaprds() throws InterruptedException {
    streams.forEach(List::clear); // they end with their daprd's connection
    for (int g = 1; g < Step.GROUPS; g++) {
      if (daprds[g] != null) {
        daprds[g].close();
        daprds[g] = null;
      }
    }
    daprds[0] = null; // closed with the sidecar
    Arrays.fill(paused, false);
  }

  @Override
  public void close() throws Exception {
    try {
      streams.forEach(s -> s.forEach(DaprStream::close));
      closeDaprds();
    } finally {
      stopSidecar();
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
