package dev.mqttsidecar.broker;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded MQTT broker: the only type adapters (Dapr pub/sub, state store, bridges) call.
 * Create with {@link #create(BrokerConfig)}, then {@link #start()}.
 */
public interface Broker extends MessageBus, AutoCloseable {

  static Broker create(BrokerConfig config) {
    return new dev.mqttsidecar.broker.server.EmbeddedBroker(config);
  }

  /** Restores stored state, binds the listeners and returns once they accept connections. */
  void start() throws Exception;

  /**
   * Disconnects clients (5.0: DISCONNECT 0x8B), closes listeners and releases everything.
   * Idempotent.
   */
  void stop();

  @Override
  default void close() {
    stop();
  }

  /** The bound address of the first listener (useful with port 0). */
  InetSocketAddress mqttAddress();

  /**
   * The bound address of the listener named {@code listener}.
   *
   * @throws IllegalArgumentException when there is no such listener
   */
  InetSocketAddress mqttAddress(String listener);

  /**
   * The single entry point for every message, whatever its ingress. Completes when the message is
   * accepted (durably, where the broker persists) and queued for every matching subscription. A
   * retained message that would pass a {@link Quotas retained quota} is refused as a whole ({@code
   * QUOTA_EXCEEDED}): neither stored nor delivered.
   */
  @Override
  CompletableFuture<PublishResult> publish(Message message);

  /** Subscribes an in-process subscriber. Throws IllegalArgumentException for an invalid filter. */
  @Override
  Subscription subscribe(SubscriptionRequest request, Subscriber subscriber);

  /**
   * How many subscribers (MQTT clients and in-process subscribers alike) are connected now with a
   * subscription that matches {@code topic}; each member of a shared group counts. A message
   * published to {@code topic} after a subscriber is counted is routed to it (or to its group). A
   * read-only snapshot, for health checks and tests.
   */
  int connectedSubscribers(String topic);

  /** A read-only look at statistics and sessions, for operators' tools. */
  default BrokerInspector inspector() {
    throw new UnsupportedOperationException("this broker cannot be inspected");
  }

  /** The counters {@code $SYS} reports, read live: for metrics. */
  BrokerStatistics statistics();

  /** The retained message store. */
  RetainedStore retained();
}
