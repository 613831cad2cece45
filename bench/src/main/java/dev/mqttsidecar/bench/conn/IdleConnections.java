package dev.mqttsidecar.bench.conn;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.Connector;
import dev.mqttsidecar.bench.mqtt.MqttPipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A set of idle MQTT connections spread round-robin over the loopback source addresses
 * 127.0.0.1..N; {@link #close()} closes them and waits.
 */
final class IdleConnections implements AutoCloseable {
  private final List<Channel> channels;
  private final List<IdleClientHandler> handlers;
  private final List<Throwable> failures;

  private IdleConnections(
      List<Channel> channels, List<IdleClientHandler> handlers, List<Throwable> failures) {
    this.channels = channels;
    this.handlers = handlers;
    this.failures = failures;
  }

  /**
   * Opens {@code count} connections, at most {@code concurrency} handshakes at a time, and waits;
   * with {@code will} each CONNECT carries a will.
   */
  static IdleConnections open(
      Bootstrap bootstrap,
      InetSocketAddress remote,
      MqttVersion version,
      int sourceAddresses,
      int count,
      int concurrency,
      Duration timeout,
      boolean will)
      throws InterruptedException {
    String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    List<Channel> channels = Collections.synchronizedList(new ArrayList<>(count));
    List<IdleClientHandler> handlers = Collections.synchronizedList(new ArrayList<>(count));
    InetSocketAddress[] sources = new InetSocketAddress[sourceAddresses];
    for (int s = 0; s < sourceAddresses; s++) {
      sources[s] = new InetSocketAddress("127.0.0." + (1 + s), 0);
    }
    List<Throwable> failures =
        Connector.openAll(
            count,
            concurrency,
            timeout,
            i -> {
              IdleClientHandler h =
                  new IdleClientHandler(
                      new ClientSettings("c" + runId + "-" + i, version, 0, 0, will));
              handlers.add(h);
              InetSocketAddress local =
                  new InetSocketAddress("127.0.0." + (1 + i % sourceAddresses), 0);
              channels.add(MqttPipeline.connect(bootstrap, remote, local, h).channel());
              return h.ready();
            });
    return new IdleConnections(channels, handlers, failures);
  }

  /** Connections that got CONNACK. */
  int established() {
    synchronized (handlers) {
      return (int)
          handlers.stream()
              .filter(h -> h.ready().isDone() && !h.ready().isCompletedExceptionally())
              .count();
    }
  }

  /** The first failure, or null. */
  Throwable firstFailure() {
    return failures.isEmpty() ? null : failures.get(0);
  }

  @Override
  public void close() {
    List<ChannelFuture> closing = new ArrayList<>();
    synchronized (channels) {
      channels.forEach(ch -> closing.add(ch.close()));
    }
    closing.forEach(f -> f.awaitUninterruptibly(5_000));
  }
}
