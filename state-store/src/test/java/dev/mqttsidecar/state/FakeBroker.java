package dev.mqttsidecar.state;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** A broker that only has a retained store: enough for the state store. */
public final class FakeBroker implements Broker {
  private final RetainedStore retained;

  public FakeBroker(RetainedStore retained) {
    this.retained = retained;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  public InetSocketAddress mqttAddress() {
    throw new UnsupportedOperationException();
  }

  @Override
  public BrokerStatistics statistics() {
    throw new UnsupportedOperationException();
  }

  @Override
  public InetSocketAddress mqttAddress(String listener) {
    throw new UnsupportedOperationException();
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
  public int connectedSubscribers(String topic) {
    return 0; // subscribe is unsupported: there never is one
  }

  @Override
  public RetainedStore retained() {
    return retained;
  }
}
