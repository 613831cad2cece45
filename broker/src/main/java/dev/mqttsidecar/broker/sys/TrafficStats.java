package dev.mqttsidecar.broker.sys;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Broker-wide traffic counters of the MQTT listener, reported on {@code $SYS}. */
public final class TrafficStats {
  private final LongAdder messagesReceived = new LongAdder();
  private final LongAdder messagesSent = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder oversizedDropped = new LongAdder();
  private final LongAdder publishesNotAuthorized = new LongAdder();
  private final LongAdder subscriptionsNotAuthorized = new LongAdder();
  private final LongAdder clientsTotal = new LongAdder();
  private final LongAdder connectionsRefused = new LongAdder();
  private final AtomicInteger clientsConnected = new AtomicInteger();
  private final AtomicInteger clientsMaximum = new AtomicInteger();

  /** An inbound PUBLISH of {@code bytes} payload bytes. */
  public void received(int bytes) {
    messagesReceived.increment();
    bytesReceived.add(bytes);
  }

  /** An outbound PUBLISH of {@code bytes} payload bytes. */
  public void sent(int bytes) {
    messagesSent.increment();
    bytesSent.add(bytes);
  }

  /** A PUBLISH not sent because it exceeded the client's Maximum Packet Size [MQTT-3.1.2-25]. */
  public void countOversizedDropped() {
    oversizedDropped.increment();
  }

  /** A client's PUBLISH refused: not authorized, or to a topic only the broker publishes on. */
  public void countPublishNotAuthorized() {
    publishesNotAuthorized.increment();
  }

  /** A topic filter of a client's SUBSCRIBE refused as not authorized. */
  public void countSubscriptionNotAuthorized() {
    subscriptionsNotAuthorized.increment();
  }

  /** A connection closed at accept: {@code maxConnections} were open. */
  public void countConnectionRefused() {
    connectionsRefused.increment();
  }

  public long connectionsRefused() {
    return connectionsRefused.sum();
  }

  /** A client completed CONNECT. */
  public void clientConnected() {
    clientsTotal.increment();
    int now = clientsConnected.incrementAndGet();
    clientsMaximum.accumulateAndGet(now, Math::max);
  }

  /** A client that completed CONNECT went away. */
  public void clientDisconnected() {
    clientsConnected.decrementAndGet();
  }

  public long messagesReceived() {
    return messagesReceived.sum();
  }

  public long messagesSent() {
    return messagesSent.sum();
  }

  public long bytesReceived() {
    return bytesReceived.sum();
  }

  public long bytesSent() {
    return bytesSent.sum();
  }

  public long oversizedDropped() {
    return oversizedDropped.sum();
  }

  public long publishesNotAuthorized() {
    return publishesNotAuthorized.sum();
  }

  public long subscriptionsNotAuthorized() {
    return subscriptionsNotAuthorized.sum();
  }

  /** Clients connected now. */
  public int clientsConnected() {
    return clientsConnected.get();
  }

  /** Clients that ever connected. */
  public long clientsTotal() {
    return clientsTotal.sum();
  }

  /** The most clients connected at once. */
  public int clientsMaximum() {
    return clientsMaximum.get();
  }
}
