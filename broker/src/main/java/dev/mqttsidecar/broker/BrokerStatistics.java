package dev.mqttsidecar.broker;

import java.util.Map;

/**
 * The broker's running totals and current values: the counters {@code $SYS/broker/...} publishes,
 * read live (each call sums the counter now). For metrics exporters; never a second set of
 * counters.
 */
public interface BrokerStatistics {
  /** MQTT clients connected now. */
  long clientsConnected();

  /** MQTT clients that completed CONNECT since the start. */
  long clientsTotal();

  /** Connections closed at accept because {@code maxConnections} were open. */
  long connectionsRefused();

  /** PUBLISH packets received from MQTT clients. */
  long messagesReceived();

  /** PUBLISH packets sent to MQTT clients. */
  long messagesSent();

  /** PUBLISH packets received from MQTT clients at this QoS. */
  long messagesReceived(Qos qos);

  /** PUBLISH packets sent to MQTT clients at this QoS. */
  long messagesSent(Qos qos);

  /**
   * CONNECTs refused with a CONNACK, by reason: the MQTT 5 reason code's name in lower case ({@code
   * bad_user_name_or_password}, {@code not_authorized}, {@code quota_exceeded}, ...; a 3.1.1 client
   * got the matching return code). The same keys every time, zeros included.
   */
  Map<String, Long> connectsRefused();

  /** Payload bytes received in PUBLISH packets. */
  long bytesReceived();

  /** Payload bytes sent in PUBLISH packets. */
  long bytesSent();

  /** Messages dropped because a session or shared group queue was full. */
  long droppedQueueFull();

  /** QoS 0 messages dropped for an offline or congested receiver. */
  long droppedQos0();

  /** Messages that expired before delivery. */
  long droppedExpired();

  /** Messages not sent because they exceeded the receiver's Maximum Packet Size. */
  long droppedTooLarge();

  /** Client PUBLISHes refused as not authorized. */
  long droppedNotAuthorized();

  /** Client PUBLISHes refused for their topic name. */
  long droppedInvalidTopic();

  /** Topics holding a retained message. */
  long retainedMessages();

  /** Bytes of the retained messages (topics, payloads, properties). */
  long retainedBytes();

  /** Retained messages refused by a retained quota. */
  long retainedRefused();

  /** Sessions that outlive their connection. */
  long persistentSessions();

  /** Sessions the broker holds now, online and offline. */
  long sessions();

  /** Topic filters the sessions hold. */
  long subscriptions();

  /** Topic filters refused as not authorized. */
  long subscriptionsNotAuthorized();
}
