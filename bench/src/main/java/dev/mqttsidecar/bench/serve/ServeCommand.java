package dev.mqttsidecar.bench.serve;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mqtt-bench serve}: the embedded broker alone, in memory, with a plain and a TLS listener,
 * so {@code load} and {@code connections} can compare the two on one broker process.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs the embedded broker (in memory, default limits) until stopped with SIGTERM or Ctrl-C:",
      "a plain MQTT listener and, with --tls-cert and --tls-key, a TLS listener."
    })
public final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "1883",
      description = "Plain MQTT port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--tls-port",
      defaultValue = "8883",
      description = "MQTT over TLS port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int tlsPort;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Server certificate chain.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Server private key.")
  Path tlsKey;

  @Override
  public Integer call() throws Exception {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    List<Listener> listeners = new ArrayList<>();
    listeners.add(new Listener("plain", host, port, Listener.Protocol.MQTT, null));
    if (tlsCert != null) {
      listeners.add(
          new Listener(
              "tls",
              host,
              tlsPort,
              Listener.Protocol.MQTT,
              new Listener.Tls(tlsCert, tlsKey, null, false)));
    }
    Broker broker =
        Broker.create(
            BrokerConfig.builder()
                .listeners(listeners)
                .durability(Durability.MEMORY)
                .sysInterval(java.time.Duration.ZERO)
                .build());
    broker.start();
    for (Listener listener : listeners) {
      System.out.println(listener.name() + " " + broker.mqttAddress(listener.name()));
    }
    System.out.println("pid " + ProcessHandle.current().pid());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.stop();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }
}
