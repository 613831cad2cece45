package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.BrokerConfig;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.time.Duration;

/** The properties of a successful MQTT 5 CONNACK: the server's limits and capabilities. */
final class ConnAckProperties {
  private ConnAckProperties() {}

  /**
   * @param assigned the Assigned Client Identifier, or null
   * @param cappedExpiry the Session Expiry Interval when it differs from the requested one, or null
   */
  static MqttProperties of(
      BrokerConfig config, MqttConnection conn, String assigned, Duration cappedExpiry) {
    MqttProperties p = new MqttProperties();
    if (assigned != null) {
      p.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, assigned));
    }
    if (cappedExpiry != null) {
      p.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.SESSION_EXPIRY_INTERVAL, (int) cappedExpiry.getSeconds()));
    }
    p.add(
        new MqttProperties.IntegerProperty(
            MqttProperties.RECEIVE_MAXIMUM, config.receiveMaximum()));
    p.add(
        new MqttProperties.IntegerProperty(
            MqttProperties.MAXIMUM_PACKET_SIZE, config.maxPacketSize()));
    if (config.topicAliasMaximum() > 0) {
      p.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.TOPIC_ALIAS_MAXIMUM, config.topicAliasMaximum()));
    }
    if (config.maximumQos() < 2) {
      // Absent means QoS 2 is supported [MQTT-3.2.2-9].
      p.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, config.maximumQos()));
    }
    p.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 1));
    p.add(new MqttProperties.IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1));
    p.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 1));
    p.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
    if (conn.responseInformationRequested && config.responseInformation() != null) {
      p.add(
          new MqttProperties.StringProperty(
              MqttProperties.RESPONSE_INFORMATION, config.responseInformation()));
    }
    if (conn.enhancedAuth != null) {
      p.add(
          new MqttProperties.StringProperty(
              MqttProperties.AUTHENTICATION_METHOD, conn.enhancedAuth.method()));
      byte[] data = conn.enhancedAuth.successData();
      if (data != null) {
        p.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA, data));
      }
    }
    if (config.serverKeepAlive() != null) {
      p.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.SERVER_KEEP_ALIVE, (int) config.serverKeepAlive().getSeconds()));
    }
    return p;
  }
}
