package dev.mqttsidecar.broker.sys;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Broker-wide traffic counters of the MQTT listener, reported on {@code $SYS}. */
public final class TrafficStats {
  // Indexed by QoS: one add per PUBLISH either way, as the totals cost before.
  private final LongAdder[] messagesReceived = adders(3);
  private final LongAdder[] messagesSent = adders(3);
  private final LongAdder bytesReceived = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder oversizedDropped = new LongAdder();
  private final LongAdder publishesNotAuthorized = new LongAdder();
  private final LongAdder subscriptionsNotAuthorized = new LongAdder();
  private final LongAdder subscriptionsOverQuota = new LongAdder();
  private final LongAdder subscriptionsInvalid = new LongAdder();
  private final LongAdder publishesInvalidTopic = new LongAdder();
  private final LongAdder clientsTotal = new LongAdder();
  private final LongAdder connectionsRefused = new LongAdder();
  // CONNECTs refused with a CONNACK, by MQTT 5 reason code (a 3.1.1 client got the matching
  // return code): rare, so a plain array of atomics.
  private final AtomicLongArray connectsRefused = new AtomicLongArray(256);
  private final AtomicInteger clientsConnected = new AtomicInteger();
  private final AtomicInteger clientsMaximum = new AtomicInteger();

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  /** An inbound PUBLISH at {@code qos} of {@code bytes} payload bytes. */
  public void received(int qos, int bytes) {
    messagesReceived[qos].increment();
    bytesReceived.add(bytes);
  }

  /** An outbound PUBLISH at {@code qos} of {@code bytes} payload bytes. */
  public void sent(int qos, int bytes) {
    messagesSent[qos].increment();
    bytesSent.add(bytes);
  }

  /** A CONNECT refused with this MQTT 5 reason code (section 3.2.2.2). */
  public void countConnectRefused(byte reasonCode) {
    connectsRefused.incrementAndGet(reasonCode & 0xFF);
  }

  /** CONNECTs refused with this MQTT 5 reason code. */
  public long connectsRefused(int reasonCode) {
    return connectsRefused.get(reasonCode & 0xFF);
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

  /** A topic filter of a client's SUBSCRIBE refused: the session has maxSubscriptionsPerClient. */
  public void countSubscriptionOverQuota() {
    subscriptionsOverQuota.increment();
  }

  /** A topic filter of a client's SUBSCRIBE refused as invalid (syntax, length, levels). */
  public void countSubscriptionInvalid() {
    subscriptionsInvalid.increment();
  }

  /** A client's PUBLISH refused for its topic name (syntax, length, levels). */
  public void countPublishInvalidTopic() {
    publishesInvalidTopic.increment();
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
    return sum(messagesReceived);
  }

  public long messagesSent() {
    return sum(messagesSent);
  }

  public long messagesReceived(int qos) {
    return messagesReceived[qos].sum();
  }

  public long messagesSent(int qos) {
    return messagesSent[qos].sum();
  }

  private static long sum(LongAdder[] adders) {
    long sum = 0;
    for (LongAdder adder : adders) {
      sum += adder.sum();
    }
    return sum;
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

  public long subscriptionsOverQuota() {
    return subscriptionsOverQuota.sum();
  }

  public long subscriptionsInvalid() {
    return subscriptionsInvalid.sum();
  }

  public long publishesInvalidTopic() {
    return publishesInvalidTopic.sum();
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
