package dev.mqttsidecar.bench.mqtt;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.Objects;

/**
 * How one generator connection introduces itself.
 *
 * @param clientId the MQTT client identifier
 * @param version MQTT 3.1.1 or 5.0
 * @param keepAliveSeconds keep alive sent in CONNECT (0 = none; runs are short)
 * @param receiveMaximum Receive Maximum sent by 5.0 clients, so the broker's own window governs
 * @param will whether CONNECT carries a will (QoS 1, not retained, on {@code bench/will/<id>})
 * @param persistent whether the session outlives the connection: Clean Session / Clean Start 0
 * @param sessionExpirySeconds a persistent 5.0 session's Session Expiry Interval
 */
public record ClientSettings(
    String clientId,
    MqttVersion version,
    int keepAliveSeconds,
    int receiveMaximum,
    boolean will,
    boolean persistent,
    int sessionExpirySeconds) {
  public ClientSettings {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(version, "version");
  }

  /** Settings of a clean session. */
  public ClientSettings(
      String clientId,
      MqttVersion version,
      int keepAliveSeconds,
      int receiveMaximum,
      boolean will) {
    this(clientId, version, keepAliveSeconds, receiveMaximum, will, false, 0);
  }

  /** Settings of a clean session without a will. */
  public ClientSettings(
      String clientId, MqttVersion version, int keepAliveSeconds, int receiveMaximum) {
    this(clientId, version, keepAliveSeconds, receiveMaximum, false);
  }

  /** A persistent session without a will (the expiry only matters to 5.0). */
  public static ClientSettings persistent(
      String clientId, MqttVersion version, int sessionExpirySeconds) {
    return new ClientSettings(clientId, version, 0, 0, false, true, sessionExpirySeconds);
  }

  public boolean isV5() {
    return version == MqttVersion.MQTT_5;
  }
}
