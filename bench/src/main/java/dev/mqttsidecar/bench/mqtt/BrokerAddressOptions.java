package dev.mqttsidecar.bench.mqtt;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Option;

/** The broker a command talks to: {@code --host}, {@code --port} and {@code --tls}. */
public final class BrokerAddressOptions {

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Broker address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "1883",
      description = "Broker port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--tls",
      arity = "0..1",
      fallbackValue = ClientTls.TRUST_ALL,
      paramLabel = "CA_FILE",
      description = {
        "Connect over TLS (1.3 or 1.2). Alone: trust any server certificate (benchmarks only);",
        "with a PEM CA file: verify the certificate and that it names --host."
      })
  String tls;

  /** The client TLS context, or null for plain TCP. */
  public SslContext tls() throws SSLException {
    return ClientTls.fromOption(tls);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }
}
