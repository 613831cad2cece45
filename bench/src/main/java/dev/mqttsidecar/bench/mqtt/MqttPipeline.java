package dev.mqttsidecar.bench.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/** Opens one MQTT client connection driven by {@code handler}. */
public final class MqttPipeline {
  /** The client TLS context of a connection, or none for plain TCP (see {@link Transport}). */
  public static final AttributeKey<SslContext> TLS = AttributeKey.valueOf("mqtt-bench.tls");

  private MqttPipeline() {}

  /**
   * Connects {@code handler} to {@code remote}, from {@code local} if not null (to spread
   * connections over several loopback source addresses). The handler sends CONNECT when the TCP
   * connection is up (over TLS, it goes out once the handshake is done); watch {@link
   * MqttClientHandler#ready()} for the outcome.
   */
  public static ChannelFuture connect(
      Bootstrap bootstrap,
      InetSocketAddress remote,
      InetSocketAddress local,
      MqttClientHandler handler) {
    Bootstrap b =
        bootstrap
            .clone()
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    SslContext tls = ch.attr(TLS).get();
                    if (tls != null) {
                      // The handshake runs when the connection is up; CONNECT waits for it.
                      ch.pipeline()
                          .addLast(
                              "tls",
                              tls.newHandler(ch.alloc(), remote.getHostString(), remote.getPort()));
                    }
                    ch.pipeline().addLast("client", handler);
                  }
                });
    ChannelFuture f = local == null ? b.connect(remote) : b.connect(remote, local);
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            handler.ready().completeExceptionally(done.cause());
          }
        });
    return f;
  }
}
