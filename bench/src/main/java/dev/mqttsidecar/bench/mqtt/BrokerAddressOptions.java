package dev.mqttsidecar.bench.mqtt;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** The broker a command talks to: {@code --host} and {@code --port}. */
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

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }
}
