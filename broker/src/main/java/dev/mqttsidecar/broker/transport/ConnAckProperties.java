package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.BrokerConfig;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import java.time.Duration;

/**
 * The properties of a 5.0 CONNACK: what the broker supports and its limits, the same for every
 * client, plus what is particular to one (an assigned client id, a capped session expiry, response
 * information, enhanced authentication). Most clients get the shared set, built once per broker: a
 * new one per CONNECT was most of what connecting allocated.
 */
final class ConnAckProperties {
  private final BrokerConfig config;
  private final MqttProperties shared; // never changed after construction: safe to share

  ConnAckProperties(BrokerConfig config) {
    this.config = config;
    this.shared = brokerProperties(config);
  }

  /**
   * @param assigned the client id the broker assigned, or null
   * @param cappedExpiry the session expiry the broker capped the requested one to, or null
   * @param responseInformationRequested whether the client asked for response information
   * @param enhancedAuth the finished authentication exchange, or null
   */
  MqttProperties of(
      String assigned,
      Duration cappedExpiry,
      boolean responseInformationRequested,
      EnhancedAuthFlow enhancedAuth) {
    boolean response = responseInformationRequested && config.responseInformation() != null;
    if (assigned == null && cappedExpiry == null && !response && enhancedAuth == null) {
      return shared;
    }
    MqttProperties p = brokerProperties(config);
    if (assigned != null) {
      p.add(new StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, assigned));
    }
    if (cappedExpiry != null) {
      p.add(
          new IntegerProperty(
              MqttProperties.SESSION_EXPIRY_INTERVAL, (int) cappedExpiry.getSeconds()));
    }
    if (response) {
      p.add(new StringProperty(MqttProperties.RESPONSE_INFORMATION, config.responseInformation()));
    }
    if (enhancedAuth != null) {
      p.add(new StringProperty(MqttProperties.AUTHENTICATION_METHOD, enhancedAuth.method()));
      byte[] data = enhancedAuth.successData();
      if (data != null) {
        p.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA, data));
      }
    }
    return p;
  }

  /** What every client is told: the broker's limits and the features it supports. */
  private static MqttProperties brokerProperties(BrokerConfig config) {
    MqttProperties p = new MqttProperties();
    p.add(new IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, config.receiveMaximum()));
    p.add(new IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, config.maxPacketSize()));
    if (config.topicAliasMaximum() > 0) {
      p.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, config.topicAliasMaximum()));
    }
    if (config.maximumQos() < 2) {
      // Absent means QoS 2 is supported [MQTT-3.2.2-9].
      p.add(new IntegerProperty(MqttProperties.MAXIMUM_QOS, config.maximumQos()));
    }
    p.add(new IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 1));
    p.add(new IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1));
    p.add(new IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 1));
    p.add(new IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
    if (config.serverKeepAlive() != null) {
      p.add(
          new IntegerProperty(
              MqttProperties.SERVER_KEEP_ALIVE, (int) config.serverKeepAlive().getSeconds()));
    }
    return p;
  }
}
