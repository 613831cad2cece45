package dev.mqttsidecar.broker.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * A bare TLS handshake with a listener, for what an MQTT client does not show: the certificate the
 * server presented, and protocol versions the JDK's own client no longer offers (Netty's OpenSSL
 * client still speaks TLS 1.1).
 */
public final class TlsProbe {
  private static final long TIMEOUT_SECONDS = 10;

  /** What a successful handshake established. */
  public record Handshake(String protocol, X509Certificate serverCertificate) {
    public BigInteger serverSerial() {
      return serverCertificate.getSerialNumber();
    }
  }

  private TlsProbe() {}

  /**
   * Connects to 127.0.0.1:{@code port}, completes a handshake with {@code client} and closes.
   *
   * @throws Exception the handshake's failure (an {@code SSLException}, typically)
   */
  public static Handshake handshake(int port, SslContext client) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      SslHandler ssl = client.newHandler(ByteBufAllocator.DEFAULT, "127.0.0.1", port);
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(ssl);
                    }
                  })
              .connect("127.0.0.1", port)
              .sync()
              .channel();
      try {
        Future<Channel> done = ssl.handshakeFuture();
        if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new AssertionError("TLS handshake did not finish in " + TIMEOUT_SECONDS + " s");
        }
        if (!done.isSuccess()) {
          throw done.cause() instanceof Exception e ? e : new Exception(done.cause());
        }
        SSLSession session = ssl.engine().getSession();
        return new Handshake(
            session.getProtocol(), (X509Certificate) session.getPeerCertificates()[0]);
      } finally {
        channel.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
