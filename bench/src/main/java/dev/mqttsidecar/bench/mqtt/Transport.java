package dev.mqttsidecar.bench.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.TimeUnit;

/**
 * The generator's event loops: native epoll where available (less CPU per message than NIO, which
 * matters when the generator shares two cores with the broker), else NIO.
 */
public final class Transport implements AutoCloseable {
  private final EventLoopGroup group;
  private final Class<? extends Channel> channelClass;
  private final SslContext tls;

  private Transport(EventLoopGroup group, Class<? extends Channel> channelClass, SslContext tls) {
    this.group = group;
    this.channelClass = channelClass;
    this.tls = tls;
  }

  /** Event loops with {@code threads} threads (0 = one per available processor), plain TCP. */
  public static Transport create(int threads) {
    return create(threads, null);
  }

  /**
   * Event loops with {@code threads} threads (0 = one per available processor); connections use TLS
   * with {@code tls}, or plain TCP when null.
   */
  public static Transport create(int threads, SslContext tls) {
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    if (Epoll.isAvailable()) {
      return new Transport(
          new MultiThreadIoEventLoopGroup(n, EpollIoHandler.newFactory()),
          EpollSocketChannel.class,
          tls);
    }
    return new Transport(
        new MultiThreadIoEventLoopGroup(n, NioIoHandler.newFactory()), NioSocketChannel.class, tls);
  }

  /**
   * A bootstrap for MQTT client connections on these event loops. The TLS context travels with it
   * as a channel attribute ({@link MqttPipeline#TLS}), so every connection made from it, by
   * whichever scenario, is encrypted alike.
   */
  public Bootstrap bootstrap() {
    return new Bootstrap()
        .group(group)
        .channel(channelClass)
        .attr(MqttPipeline.TLS, tls)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .option(
            ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024));
  }

  /**
   * A bootstrap for connections that bind a source address: with epoll the source port is chosen at
   * connect time (IP_BIND_ADDRESS_NO_PORT), so ports are shared across destinations and one source
   * address is not limited to one connection per ephemeral port.
   */
  public Bootstrap bootstrapWithSourceAddresses() {
    Bootstrap b = bootstrap();
    if (channelClass == EpollSocketChannel.class) {
      b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
    }
    return b;
  }

  public EventLoopGroup group() {
    return group;
  }

  /**
   * Stops the event loops and waits for them. Once this returns, everything handlers wrote on their
   * event loops is visible to the caller (thread termination is a happens-before edge).
   */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
  }
}
