package dev.mqttsidecar.bench.load;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.Connector;
import dev.mqttsidecar.bench.mqtt.MqttClientHandler;
import dev.mqttsidecar.bench.mqtt.MqttPipeline;
import dev.mqttsidecar.bench.mqtt.Packets;
import dev.mqttsidecar.bench.mqtt.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link LoadSpec}: connects the subscribers (and waits for their SUBACKs), then the
 * publishers, publishes for warm-up plus duration, waits for stragglers, disconnects, and counts.
 * Bounded in time: connecting, publishing and draining each have a deadline.
 */
public final class LoadRun {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
  private static final int CONNECT_CONCURRENCY = 200;
  private static final long START_DELAY_NANOS = 200_000_000L;

  /** Stop draining when nothing has arrived for this long. */
  private static final long QUIET_NANOS = 1_500_000_000L;

  private final LoadSpec spec;
  private final SslContext tls;
  private final String label;
  private final String name;
  private final long brokerPid;

  /**
   * @param tls the client TLS context, or null for plain TCP
   * @param brokerPid the broker's process id, to report its CPU use (0 if unknown or in this JVM)
   */
  public LoadRun(LoadSpec spec, SslContext tls, String label, String name, long brokerPid) {
    this.spec = spec;
    this.tls = tls;
    this.label = label;
    this.name = name;
    this.brokerPid = brokerPid;
  }

  /** Runs to completion; throws if connections could not be set up. */
  public LoadResult run() throws InterruptedException {
    String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    String prefix = "bench/" + runId;
    LatencyRecorders recorders = new LatencyRecorders();
    List<SubscriberHandler> subscribers = new ArrayList<>();
    List<PublisherHandler> publishers = new ArrayList<>();
    List<Channel> channels = java.util.Collections.synchronizedList(new ArrayList<>());
    Timeline timeline;
    CpuSample.Usage cpu;
    try (Transport transport = Transport.create(spec.threads(), tls)) {
      Bootstrap bootstrap = transport.bootstrap();
      EndToEndWindow endToEnd = spec.maxOutstanding() > 0 ? endToEndWindow() : null;
      for (int i = 0; i < spec.subscribers(); i++) {
        ClientSettings s = new ClientSettings("b" + runId + "-s" + i, spec.version(), 0, 65535);
        subscribers.add(
            new SubscriberHandler(
                s,
                spec.scenario().subscriptionFilter(prefix, i),
                spec.qos().value(),
                spec.publishers(),
                recorders,
                endToEnd));
      }
      double perPublisher = spec.targetRate() / spec.publishers();
      for (int i = 0; i < spec.publishers(); i++) {
        ClientSettings s = new ClientSettings("b" + runId + "-p" + i, spec.version(), 0, 65535);
        publishers.add(
            new PublisherHandler(
                s,
                i,
                spec.scenario().publishTopic(prefix, i),
                spec.qos().value(),
                spec.payloadSize(),
                perPublisher,
                spec.window(),
                endToEnd));
      }
      connect(bootstrap, spec.subscriberBroker(), subscribers, channels, "subscribers");
      connect(bootstrap, spec.broker(), publishers, channels, "publishers");

      long start = System.nanoTime() + START_DELAY_NANOS;
      timeline =
          new Timeline(
              start,
              start + spec.warmup().toNanos(),
              start + spec.warmup().toNanos() + spec.duration().toNanos());
      subscribers.forEach(s -> s.start(timeline));
      publishers.forEach(p -> p.start(timeline));

      sleepUntil(timeline.measureFrom());
      CpuSample before = CpuSample.take(brokerPid);
      sleepUntil(timeline.end());
      cpu = CpuSample.take(brokerPid).since(before);
      waitForPublishers(publishers, timeline.end() + 5_000_000_000L);
      drain(publishers, subscribers);
      disconnect(channels);
    } // event loops terminated: every handler's counters are now visible here
    return tally(timeline, cpu, publishers, subscribers, recorders.merged());
  }

  private EndToEndWindow endToEndWindow() {
    int[] fanOut = new int[spec.publishers()];
    for (int p = 0; p < fanOut.length; p++) {
      for (int s = 0; s < spec.subscribers(); s++) {
        fanOut[p] += spec.scenario().delivers(p, s) ? 1 : 0;
      }
    }
    return new EndToEndWindow(fanOut, Math.max(1, spec.maxOutstanding() / spec.publishers()));
  }

  private void connect(
      Bootstrap bootstrap,
      InetSocketAddress broker,
      List<? extends MqttClientHandler> handlers,
      List<Channel> channels,
      String what)
      throws InterruptedException {
    List<Throwable> failures =
        Connector.openAll(
            handlers.size(),
            CONNECT_CONCURRENCY,
            CONNECT_TIMEOUT,
            i -> {
              MqttClientHandler h = handlers.get(i);
              ChannelFuture f = MqttPipeline.connect(bootstrap, broker, null, h);
              channels.add(f.channel());
              return h.ready();
            });
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          failures.size()
              + " of "
              + handlers.size()
              + " "
              + what
              + " failed to connect; first: "
              + failures.get(0),
          failures.get(0));
    }
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
    }
  }

  private static void waitForPublishers(List<PublisherHandler> publishers, long deadline)
      throws InterruptedException {
    while (System.nanoTime() < deadline
        && !publishers.stream().allMatch(PublisherHandler::isFinished)) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  /** Waits until every expected delivery arrived, nothing arrived for a while, or the timeout. */
  private void drain(List<PublisherHandler> publishers, List<SubscriberHandler> subscribers)
      throws InterruptedException {
    long expected = expectedDeliveries(publishers, p -> p.sentSoFar());
    long deadline = System.nanoTime() + spec.drainTimeout().toNanos();
    long lastCount = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long got = subscribers.stream().mapToLong(SubscriberHandler::receivedSoFar).sum();
      if (got >= expected) {
        return;
      }
      if (got != lastCount) {
        lastCount = got;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > QUIET_NANOS) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private long expectedDeliveries(
      List<PublisherHandler> publishers, java.util.function.ToLongFunction<PublisherHandler> sent) {
    long total = 0;
    for (PublisherHandler p : publishers) {
      for (int s = 0; s < spec.subscribers(); s++) {
        if (spec.scenario().delivers(p.index(), s)) {
          total += sent.applyAsLong(p);
        }
      }
    }
    return total;
  }

  private static void disconnect(List<Channel> channels) {
    List<ChannelFuture> closing = new ArrayList<>();
    synchronized (channels) {
      for (Channel ch : channels) {
        if (ch.isActive()) {
          closing.add(
              ch.writeAndFlush(Packets.disconnect(ch.alloc()))
                  .addListener(ChannelFutureListener.CLOSE));
        }
      }
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    for (ChannelFuture f : closing) {
      f.channel()
          .closeFuture()
          .awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
  }

  private LoadResult tally(
      Timeline t,
      CpuSample.Usage cpu,
      List<PublisherHandler> publishers,
      List<SubscriberHandler> subscribers,
      Histogram latency) {
    long sent = publishers.stream().mapToLong(PublisherHandler::sent).sum();
    long sentInWindow = publishers.stream().mapToLong(PublisherHandler::sentInWindow).sum();
    long expected = expectedDeliveries(publishers, PublisherHandler::sent);
    long received = 0;
    long receivedInWindow = 0;
    long unique = 0;
    long duplicates = 0;
    long outOfOrder = 0;
    long errors = 0;
    for (SubscriberHandler s : subscribers) {
      received += s.received();
      receivedInWindow += s.receivedInWindow();
      errors += s.foreign() + s.protocolErrors() + (s.failure() != null ? 1 : 0);
      for (int p = 0; p < spec.publishers(); p++) {
        StreamTracker st = s.stream(p);
        if (st != null) {
          unique += st.unique();
          duplicates += st.duplicates();
          outOfOrder += st.outOfOrder();
        }
      }
    }
    for (PublisherHandler p : publishers) {
      errors += p.protocolErrors() + p.rejected() + (p.failure() != null ? 1 : 0);
    }
    double window = t.windowSeconds();
    double us = 1000.0;
    return new LoadResult(
        label,
        name,
        spec.scenario().label(),
        spec.versionLabel(),
        spec.qos().value(),
        spec.publishers(),
        spec.subscribers(),
        spec.payloadSize(),
        spec.targetRate(),
        spec.warmup().toMillis() / 1000.0,
        spec.duration().toMillis() / 1000.0,
        sent,
        expected,
        received,
        unique,
        Math.max(0, expected - unique),
        duplicates,
        outOfOrder,
        sentInWindow / window,
        receivedInWindow / window,
        latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50) / us,
        latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(90) / us,
        latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / us,
        latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99.9) / us,
        latency.getMaxValue() / us,
        latency.getTotalCount() == 0 ? 0 : latency.getMean() / us,
        cpu.broker(),
        cpu.generator(),
        errors);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "LoadRun[%s %s %s]", label, name, spec);
  }
}
