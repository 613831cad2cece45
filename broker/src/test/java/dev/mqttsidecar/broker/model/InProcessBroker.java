package dev.mqttsidecar.broker.model;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import java.nio.file.Path;

/** A broker in this JVM on 127.0.0.1 and a free port; it cannot be killed, only restarted. */
final class InProcessBroker implements BrokerUnderTest {
  private final BrokerConfig config;
  private Broker broker;

  InProcessBroker(Path dataDirectory, Durability durability) throws Exception {
    this.config =
        BrokerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .dataDirectory(dataDirectory)
            .durability(durability)
            .build();
    start();
  }

  private void start() throws Exception {
    broker = Broker.create(config);
    broker.start();
  }

  @Override
  public int port() {
    return broker.mqttAddress().getPort();
  }

  @Override
  public void restart() throws Exception {
    broker.stop();
    start();
  }

  @Override
  public void crash() {
    throw new UnsupportedOperationException("a broker in this JVM cannot be killed");
  }

  @Override
  public boolean memoryOnly() {
    return config.durability() == Durability.MEMORY;
  }

  @Override
  public void close() {
    broker.stop();
  }
}
