package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Placeholder until the broker core lands. */
public final class EmbeddedBroker implements Broker {
  private final BrokerConfig config;

  public EmbeddedBroker(BrokerConfig config) {
    this.config = config;
  }

  @Override
  public void start() {
    throw new UnsupportedOperationException("broker core not implemented yet");
  }

  @Override
  public void stop() {}

  @Override
  public InetSocketAddress mqttAddress() {
    return new InetSocketAddress(config.host(), config.port());
  }

  @Override
  public CompletableFuture<PublishResult> publish(Message message) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Subscription subscribe(SubscriptionRequest request, Subscriber subscriber) {
    throw new UnsupportedOperationException();
  }

  @Override
  public RetainedStore retained() {
    throw new UnsupportedOperationException();
  }
}
