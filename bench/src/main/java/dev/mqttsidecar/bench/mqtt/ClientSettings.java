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
 */
public record ClientSettings(
    String clientId, MqttVersion version, int keepAliveSeconds, int receiveMaximum, boolean will) {
  public ClientSettings {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(version, "version");
  }

  /** Settings without a will. */
  public ClientSettings(
      String clientId, MqttVersion version, int keepAliveSeconds, int receiveMaximum) {
    this(clientId, version, keepAliveSeconds, receiveMaximum, false);
  }

  public boolean isV5() {
    return version == MqttVersion.MQTT_5;
  }
}
