package dev.mqttsidecar.bench.mqtt;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * TLS for the generator's connections, from {@code --tls}: trusting any server certificate (a
 * benchmark on loopback measures the handshake's cost, not who signed the certificate), or
 * verifying it and the broker's address against a PEM CA file. Netty picks OpenSSL when available,
 * as the broker does.
 */
public final class ClientTls {
  /** The {@code --tls} value meaning "trust any certificate". */
  public static final String TRUST_ALL = "trust-all";

  private ClientTls() {}

  /**
   * @param option {@code --tls}'s value: null (plain TCP), {@link #TRUST_ALL} or a CA file
   * @return the client context, or null for plain TCP
   */
  public static SslContext fromOption(String option) throws SSLException {
    if (option == null) {
      return null;
    }
    SslContextBuilder builder = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
    if (option.equals(TRUST_ALL)) {
      builder
          .trustManager(InsecureTrustManagerFactory.INSTANCE)
          .endpointIdentificationAlgorithm(null);
    } else {
      File ca = new File(option);
      if (!ca.isFile()) {
        throw new IllegalArgumentException("--tls: no CA file " + option);
      }
      builder.trustManager(ca).endpointIdentificationAlgorithm("HTTPS");
    }
    return builder.build();
  }
}
