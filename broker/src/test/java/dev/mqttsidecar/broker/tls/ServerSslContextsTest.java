package dev.mqttsidecar.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mqttsidecar.broker.testing.TestPki;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server context with either provider (OpenSSL, and the JDK the broker falls back to): TLS 1.3
 * with a client certificate, whose name the server reads; a certificate that does not verify is
 * refused even when certificates are optional. Handshakes run in memory between two channels.
 */
class ServerSslContextsTest {
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void createPki() {
    pki = TestPki.create(dir);
  }

  private record Handshake(SslHandler server, SslHandler client) {
    boolean succeeded() {
      return server.handshakeFuture().isSuccess() && client.handshakeFuture().isSuccess();
    }
  }

  /** Passes bytes between a client and a server channel until both handshakes are done. */
  private static Handshake handshake(SslContext serverContext, TestPki.Credential client)
      throws Exception {
    SslContext clientContext =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .trustManager(pki.trustManagerFactory())
            .keyManager(client == null ? null : client.keyManagerFactory())
            .build();
    EmbeddedChannel server = new EmbeddedChannel();
    EmbeddedChannel peer = new EmbeddedChannel();
    SslHandler serverTls = serverContext.newHandler(server.alloc());
    SslHandler clientTls = clientContext.newHandler(peer.alloc(), "127.0.0.1", 8883);
    server.pipeline().addLast(serverTls);
    peer.pipeline().addLast(clientTls);
    for (int i = 0; i < 50; i++) {
      boolean moved = move(peer, server) | move(server, peer);
      if (!moved) {
        break;
      }
    }
    Handshake result = new Handshake(serverTls, clientTls);
    server.finishAndReleaseAll();
    peer.finishAndReleaseAll();
    return result;
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (ByteBuf b = from.readOutbound(); b != null; b = from.readOutbound()) {
      if (!to.isOpen()) {
        b.release(); // the peer gave up: its alert has nobody left to read it
        continue;
      }
      moved = true;
      try {
        to.writeInbound(b);
      } catch (Exception handshakeFailure) {
        // recorded on the handshake future, which the test reads
      }
    }
    return moved;
  }

  private static SslContext server(SslProvider provider, boolean requireClientCert)
      throws Exception {
    assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "OpenSSL not available");
    return ServerSslContexts.build(pki.serverTls(requireClientCert), provider);
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void tls13WithAClientCertificateTheServerCanName(SslProvider provider) throws Exception {
    Handshake h = handshake(server(provider, true), pki.device1());
    assertThat(h.succeeded()).isTrue();
    assertThat(h.server().engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(PeerCertificateName.of(h.server().engine().getSession())).isEqualTo("device-1");
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void certificatesThatDoNotVerifyAreRefusedEvenWhenOptional(SslProvider provider)
      throws Exception {
    SslContext optional = server(provider, false);
    assertThat(handshake(optional, pki.expiredClient()).server().handshakeFuture().isSuccess())
        .isFalse();
    assertThat(handshake(optional, pki.foreignClient()).server().handshakeFuture().isSuccess())
        .isFalse();
    Handshake anonymous = handshake(optional, null);
    assertThat(anonymous.succeeded()).isTrue();
    assertThat(PeerCertificateName.of(anonymous.server().engine().getSession())).isNull();
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void noCertificateIsRefusedWhenRequired(SslProvider provider) throws Exception {
    assertThat(handshake(server(provider, true), null).server().handshakeFuture().isSuccess())
        .isFalse();
  }
}
