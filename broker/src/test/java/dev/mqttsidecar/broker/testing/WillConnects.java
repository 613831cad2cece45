package dev.mqttsidecar.broker.testing;

import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static dev.mqttsidecar.broker.testing.RawMqttClient.concat;
import static dev.mqttsidecar.broker.testing.RawMqttClient.packet;
import static dev.mqttsidecar.broker.testing.RawMqttClient.str;
import static dev.mqttsidecar.broker.testing.RawMqttClient.u16;

/** Raw CONNECT packets (clean session, keep alive 60 s) that leave a will. */
public final class WillConnects {
  private static final int CLEAN = 0x02;
  private static final int WILL = 0x04;
  private static final int USERNAME = 0x80;

  private WillConnects() {}

  /**
   * 3.1.1 CONNECT with a will of {@code willQos} on {@code willTopic}; {@code username} may be
   * null.
   */
  public static byte[] v311(String clientId, String username, String willTopic, int willQos) {
    return packet(
        0x10,
        concat(
            str("MQTT"),
            bytes(4, flags(username, willQos)),
            u16(60),
            str(clientId),
            str(willTopic),
            str("will"),
            username == null ? new byte[0] : str(username)));
  }

  /** 5.0 CONNECT, no properties, with a will of {@code willQos} on {@code willTopic}. */
  public static byte[] v5(String clientId, String username, String willTopic, int willQos) {
    return packet(
        0x10,
        concat(
            str("MQTT"),
            bytes(5, flags(username, willQos)),
            u16(60),
            bytes(0), // CONNECT properties
            str(clientId),
            bytes(0), // will properties
            str(willTopic),
            str("will"),
            username == null ? new byte[0] : str(username)));
  }

  private static int flags(String username, int willQos) {
    return CLEAN | WILL | (willQos << 3) | (username == null ? 0 : USERNAME);
  }
}
