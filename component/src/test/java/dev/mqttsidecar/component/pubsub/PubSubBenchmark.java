package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub.PublishRequest;
import io.dapr.v1.ComponentProtos.PingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Throughput and latency of the pub/sub path over the real socket, next to the ceiling: the rate of
 * a no-op gRPC call (PubSub.Ping) on the same socket. Skipped unless {@code -Dbench=true}; run with
 * {@code mvn -pl component verify -Dbench=true -Dtest=PubSubBenchmark -Dit.test=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}. The report is
 * printed and written to {@code target/pubsub-benchmark.txt}.
 */
class PubSubBenchmark extends PubSubTestBase {
  private static final int MESSAGES = Integer.getInteger("bench.messages", 8000);
  private static final int STREAMS = 8;

  @Test
  void benchmark() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("bench"), "benchmark runs only with -Dbench=true");
    String pubsub = init(component().with("ackTimeoutSeconds", "60"));
    byte[] event = cloudEvent("bench", "x".repeat(200));
    // The group exists and is durable: messages published while no stream is open wait for one.
    DaprStream creator = DaprStream.open(daprd(), pubsub, "bench", Map.of());
    awaitSubscribers("bench", 1);
    creator.cancel();
    awaitSubscribers("bench", 0);

    // Warm-up of every path.
    pingRate(pubsub, 1, 5000);
    publishSequentially(pubsub, event, 3000);
    drain(pubsub, 1, 3000);

    double ping1 = pingRate(pubsub, 1, MESSAGES);
    double ping8 = pingRate(pubsub, STREAMS, MESSAGES);
    long[] latencies = publishSequentially(pubsub, event, MESSAGES);
    double publishRate = MESSAGES / (Arrays.stream(latencies).sum() / 1e9);
    Arrays.sort(latencies);
    double one = drain(pubsub, 1, MESSAGES);
    publishSequentially(pubsub, event, MESSAGES);
    double eight = drain(pubsub, STREAMS, MESSAGES);
    double live1 = endToEnd(pubsub, event, 1, MESSAGES);
    double live8 = endToEnd(pubsub, event, STREAMS, MESSAGES);

    String report =
        String.format(
            Locale.ROOT,
            "pub/sub over the Unix socket, %d messages of %d bytes, %d cores%n"
                + "%-44s %10.0f calls/s%n"
                + "%-44s %10.0f calls/s%n"
                + "%-44s %10.0f msg/s  p50 %.0f us  p99 %.0f us  (%.0f%% of ceiling)%n"
                + "%-44s %10.0f msg/s  (%.0f%% of ceiling, 1 caller)%n"
                + "%-44s %10.0f msg/s  (%.0f%% of ceiling, %d callers)%n"
                + "%-44s %10.0f msg/s  (%.0f%% of ceiling, 1 caller)%n"
                + "%-44s %10.0f msg/s  (%.0f%% of ceiling, %d callers)%n",
            MESSAGES,
            event.length,
            Runtime.getRuntime().availableProcessors(),
            "ceiling: no-op call (Ping), 1 caller",
            ping1,
            "ceiling: no-op call (Ping), " + STREAMS + " callers",
            ping8,
            "Publish, 1 caller",
            publishRate,
            latencies[latencies.length / 2] / 1e3,
            latencies[(int) (latencies.length * 0.99)] / 1e3,
            100 * publishRate / ping1,
            "queued -> PullMessages -> ack, 1 stream",
            one,
            100 * one / ping1,
            "queued -> PullMessages -> ack, " + STREAMS + " streams",
            eight,
            100 * eight / ping8,
            STREAMS,
            "Publish -> PullMessages -> ack, 1+1",
            live1,
            100 * live1 / ping1,
            "Publish -> PullMessages -> ack, " + STREAMS + "+" + STREAMS,
            live8,
            100 * live8 / ping8,
            STREAMS);
    System.out.println(report);
    Files.writeString(Path.of("target", "pubsub-benchmark.txt"), report);
  }

  private double pingRate(String pubsub, int callers, int calls) throws Exception {
    PubSubGrpc.PubSubBlockingStub stub = pubSub(pubsub);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < calls / callers; i++) {
                    stub.ping(PingRequest.getDefaultInstance());
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      return calls / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Publishes one at a time, as one daprd publishing for one app; returns each call's latency. */
  private long[] publishSequentially(String pubsub, byte[] event, int count) {
    PubSubGrpc.PubSubBlockingStub stub = pubSub(pubsub);
    PublishRequest request =
        PublishRequest.newBuilder()
            .setPubsubName(pubsub)
            .setTopic("bench")
            .setData(ByteString.copyFrom(event))
            .build();
    long[] latencies = new long[count];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      stub.publish(request);
      latencies[i] = System.nanoTime() - t0;
    }
    return latencies;
  }

  /**
   * Publishers (one per stream, each one call at a time) and daprd-like streams at once; returns
   * msg/s from the first publish to the last ack.
   */
  private double endToEnd(String pubsub, byte[] event, int streams, int count) throws Exception {
    List<DaprStream> open = new ArrayList<>();
    ExecutorService publishers = Executors.newFixedThreadPool(streams);
    try {
      for (int s = 0; s < streams; s++) {
        open.add(DaprStream.open(daprd(), pubsub, "bench", Map.of(), m -> null));
      }
      awaitSubscribers("bench", streams);
      long start = System.nanoTime();
      for (int s = 0; s < streams; s++) {
        publishers.submit(() -> publishSequentially(pubsub, event, count / streams));
      }
      Awaitility.await("end to end on " + streams + " streams")
          .atMost(java.time.Duration.ofSeconds(60))
          .pollInterval(java.time.Duration.ofMillis(5))
          .until(
              () -> open.stream().mapToInt(d -> d.acked().size()).sum(),
              n -> n >= count / streams * streams);
      return count / ((System.nanoTime() - start) / 1e9);
    } finally {
      publishers.shutdownNow();
      open.forEach(DaprStream::cancel);
      awaitSubscribers("bench", 0);
    }
  }

  /** Opens streams (daprd-like: handle, ack, next) on the queued messages; returns acked msg/s. */
  private double drain(String pubsub, int streams, int expected) throws Exception {
    List<DaprStream> open = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int s = 0; s < streams; s++) {
        open.add(DaprStream.open(daprd(), pubsub, "bench", Map.of(), m -> null));
      }
      Awaitility.await("drain of " + expected + " on " + streams + " streams")
          .atMost(java.time.Duration.ofSeconds(60))
          .pollInterval(java.time.Duration.ofMillis(5))
          .until(() -> open.stream().mapToInt(d -> d.acked().size()).sum(), n -> n >= expected);
      double rate = expected / ((System.nanoTime() - start) / 1e9);
      assertThat(open.stream().mapToInt(d -> d.acked().size()).sum()).isEqualTo(expected);
      return rate;
    } finally {
      open.forEach(DaprStream::cancel);
      awaitSubscribers("bench", 0);
    }
  }
}
