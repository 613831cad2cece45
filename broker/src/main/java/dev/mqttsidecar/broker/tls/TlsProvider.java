package dev.mqttsidecar.broker.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS implementation the listeners use: OpenSSL (BoringSSL, from netty-tcnative) where its
 * native library loads, as it costs less CPU per handshake and per byte; the JDK's otherwise.
 * Chosen and logged once per process.
 */
final class TlsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);

  static final SslProvider PROVIDER = choose();

  private TlsProvider() {}

  private static SslProvider choose() {
    if (OpenSsl.isAvailable()) {
      LOG.info("TLS provider: OpenSSL ({})", OpenSsl.versionString());
      return SslProvider.OPENSSL;
    }
    LOG.info(
        "TLS provider: JDK (OpenSSL not available: {})",
        String.valueOf(OpenSsl.unavailabilityCause()));
    return SslProvider.JDK;
  }
}
