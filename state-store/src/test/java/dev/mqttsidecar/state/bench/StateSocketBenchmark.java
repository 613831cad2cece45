package dev.mqttsidecar.state.bench;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.state.grpc.InstanceKey;
import dev.mqttsidecar.state.grpc.StateStoreComponent;
import io.dapr.v1.ComponentProtos;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Get and Set over a Unix domain socket, the way daprd calls them (one connection, the instance
 * header on every call), next to a no-op unary call on the same socket: the ceiling any state call
 * can reach. Reports rate and p50/p99 latency at 1 and 64 concurrent callers.
 *
 * <p>Not part of the normal build. Run:
 *
 * <pre>
 * mvn -pl state-store test -Dtest=StateSocketBenchmark -Dbench=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dtest.argLine=-Dio.netty.leakDetection.level=disabled \
 *     [-Dbench.seconds=5] [-Dbench.warmup=5] [-Dbench.durability=fsync|periodic|memory]
 * </pre>
 *
 * (The build's test argLine turns on Netty's PARANOID leak detection, which would dominate.)
 *
 * <p>The table is printed and written to {@code state-store/target/state-bench.md}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class StateSocketBenchmark {
  private static final Metadata.Key<String> INSTANCE_HEADER =
      Metadata.Key.of("x-component-instance", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> INSTANCE = Context.key("instance");
  private static final int[] CALLERS = {1, 64};
  private static final int KEYS = 1000;
  private static final ByteString VALUE = ByteString.copyFrom(new byte[100]);

  private static final MethodDescriptor<byte[], byte[]> NOOP =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("bench.Noop/Call")
          .setRequestMarshaller(new Bytes())
          .setResponseMarshaller(new Bytes())
          .build();

  @Test
  void run() throws Exception {
    long warmupNanos = TimeUnit.SECONDS.toNanos(Long.getLong("bench.warmup", 2));
    long measureNanos = TimeUnit.SECONDS.toNanos(Long.getLong("bench.seconds", 3));
    Path dir = Files.createTempDirectory("state-bench");
    Path socket = dir.resolve("bench.sock");
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, EpollIoHandler.newFactory());
    EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Durability durability = Durability.parse(System.getProperty("bench.durability", "memory"));
    Broker broker =
        Broker.create(
            BrokerConfig.builder()
                .port(0)
                .durability(durability)
                .dataDirectory(dir.resolve("data"))
                .build());
    broker.start();
    StateStoreComponent component =
        new StateStoreComponent(
            broker, () -> new InstanceKey("", INSTANCE.get()), java.time.Clock.systemUTC());
    Server server = startServer(socket, component, boss, workers);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(clientLoop)
            .usePlaintext()
            .build();
    try {
      Metadata md = new Metadata();
      md.put(INSTANCE_HEADER, "bench");
      StateStoreGrpc.StateStoreStub state =
          StateStoreGrpc.newStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
      StateStoreGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .init(
              State.InitRequest.newBuilder()
                  .setMetadata(ComponentProtos.MetadataRequest.newBuilder())
                  .build());
      seed(channel, md);

      Map<String, BiConsumer<Integer, StreamObserver<Object>>> ops =
          Map.of(
              "no-op",
              (i, done) ->
                  ClientCalls.asyncUnaryCall(
                      channel.newCall(NOOP, CallOptions.DEFAULT), new byte[0], cast(done)),
              "Get",
              (i, done) ->
                  state.get(State.GetRequest.newBuilder().setKey(key(i)).build(), cast(done)),
              "Set",
              (i, done) ->
                  state.set(
                      State.SetRequest.newBuilder().setKey(key(i)).setValue(VALUE).build(),
                      cast(done)));
      for (String op : List.of("no-op", "Get", "Set")) {
        measure(ops.get(op), 64, 0, warmupNanos); // JIT warm-up of every path, not reported
      }
      List<String> rows = new ArrayList<>();
      rows.add("| call | callers | calls/s | p50 µs | p99 µs | % of no-op |");
      rows.add("|---|---:|---:|---:|---:|---:|");
      for (int callers : CALLERS) {
        Result ceiling = null;
        for (String op : List.of("no-op", "Get", "Set")) {
          Result r = measure(ops.get(op), callers, TimeUnit.SECONDS.toNanos(1), measureNanos);
          if (ceiling == null) {
            ceiling = r;
          }
          rows.add(
              String.format(
                  "| %s | %d | %.0f | %.0f | %.0f | %.0f%% |",
                  op,
                  callers,
                  r.rate(),
                  r.p50Micros(),
                  r.p99Micros(),
                  100 * r.rate() / ceiling.rate()));
        }
      }
      String table =
          "State store over a Unix domain socket, 100-byte values, "
              + measureNanos / 1_000_000_000
              + " s per row (1 s warm-up per row, "
              + warmupNanos / 1_000_000_000
              + " s per call type before), "
              + Runtime.getRuntime().availableProcessors()
              + " CPUs, durability "
              + durability
              + "\n\n"
              + String.join("\n", rows)
              + "\n";
      System.out.println(table);
      Files.writeString(Path.of("target", "state-bench.md"), table);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      component.close();
      broker.stop();
      clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      Files.deleteIfExists(socket);
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static Server startServer(
      Path socket, StateStoreComponent component, EventLoopGroup boss, EventLoopGroup workers)
      throws IOException {
    ServerInterceptor routing =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String name = headers.get(INSTANCE_HEADER);
            Context ctx = Context.current().withValue(INSTANCE, name == null ? "" : name);
            return Contexts.interceptCall(ctx, call, headers, next);
          }
        };
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .addService(
                ServerServiceDefinition.builder("bench.Noop")
                    .addMethod(
                        NOOP,
                        ServerCalls.asyncUnaryCall(
                            (req, out) -> {
                              out.onNext(new byte[0]);
                              out.onCompleted();
                            }))
                    .build());
    component.services().forEach(s -> builder.addService(ServerInterceptors.intercept(s, routing)));
    return builder.build().start();
  }

  private static void seed(ManagedChannel channel, Metadata md) {
    var blocking =
        StateStoreGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    for (int i = 0; i < KEYS; i++) {
      blocking.set(State.SetRequest.newBuilder().setKey(key(i)).setValue(VALUE).build());
    }
  }

  private static String key(int i) {
    return "bench||key-" + Math.floorMod(i, KEYS);
  }

  /**
   * Runs {@code callers} closed loops of one outstanding call each; records the measured window.
   */
  private static Result measure(
      BiConsumer<Integer, StreamObserver<Object>> op,
      int callers,
      long warmupNanos,
      long measureNanos)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + warmupNanos;
    long stopAt = measureFrom + measureNanos;
    CountDownLatch finished = new CountDownLatch(callers);
    List<Caller> all = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      Caller caller = new Caller(op, c * 7919, measureFrom, stopAt, finished);
      all.add(caller);
      caller.next();
    }
    if (!finished.await(
        warmupNanos + measureNanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS)) {
      throw new AssertionError("callers did not finish");
    }
    long failures = all.stream().mapToLong(c -> c.failures).sum();
    if (failures > 0) {
      throw new AssertionError(
          failures
              + " calls failed, first: "
              + all.stream()
                  .filter(c -> c.firstFailure != null)
                  .findFirst()
                  .map(c -> c.firstFailure)
                  .orElse(null));
    }
    int total = all.stream().mapToInt(c -> c.count).sum();
    long[] latencies = new long[total];
    int at = 0;
    for (Caller c : all) {
      System.arraycopy(c.latencies, 0, latencies, at, c.count);
      at += c.count;
    }
    Arrays.sort(latencies);
    return new Result(
        total / (measureNanos / 1e9),
        percentile(latencies, 0.50) / 1e3,
        percentile(latencies, 0.99) / 1e3);
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)];
  }

  private record Result(double rate, double p50Micros, double p99Micros) {}

  /** One closed-loop caller: the next call starts when the previous one completes. */
  private static final class Caller implements StreamObserver<Object> {
    private final BiConsumer<Integer, StreamObserver<Object>> op;
    private final long measureFrom;
    private final long stopAt;
    private final CountDownLatch finished;
    private int sequence;
    private long started;
    long[] latencies = new long[1 << 14];
    int count;
    long failures;
    Throwable firstFailure;

    Caller(
        BiConsumer<Integer, StreamObserver<Object>> op,
        int seed,
        long measureFrom,
        long stopAt,
        CountDownLatch finished) {
      this.op = op;
      this.sequence = seed;
      this.measureFrom = measureFrom;
      this.stopAt = stopAt;
      this.finished = finished;
    }

    void next() {
      started = System.nanoTime();
      op.accept(sequence++, this);
    }

    @Override
    public void onNext(Object value) {}

    @Override
    public void onError(Throwable t) {
      failures++;
      if (firstFailure == null) {
        firstFailure = t;
      }
      onCompleted();
    }

    @Override
    public void onCompleted() {
      long now = System.nanoTime();
      if (started >= measureFrom && now <= stopAt) {
        if (count == latencies.length) {
          latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = now - started;
      }
      if (now < stopAt) {
        next();
      } else {
        finished.countDown();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> StreamObserver<T> cast(StreamObserver<Object> observer) {
    return (StreamObserver<T>) (StreamObserver<?>) observer;
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
