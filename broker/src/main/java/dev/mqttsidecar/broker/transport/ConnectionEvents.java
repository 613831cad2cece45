package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.sys.ClientEvent;
import java.net.InetSocketAddress;
import java.util.Locale;

/** Builds the life-cycle events of an MQTT connection. */
final class ConnectionEvents {
  private ConnectionEvents() {}

  /** An event for {@code conn}; {@code reason} is null for a connect event. */
  static ClientEvent event(MqttConnection conn, String reason) {
    return new ClientEvent(
        conn.clientId,
        conn.identity == null ? null : conn.identity.username(),
        conn.mqtt5 ? 5 : 4,
        remoteAddress(conn),
        conn.services.config().clock().instant(),
        reason);
  }

  private static String remoteAddress(MqttConnection conn) {
    return conn.channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress() + ":" + a.getPort()
        : String.valueOf(conn.channel.remoteAddress());
  }

  /** A reason code as words: SESSION_TAKEN_OVER becomes "session taken over". */
  static String reasonText(ReasonCode reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
