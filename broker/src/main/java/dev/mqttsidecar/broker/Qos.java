package dev.mqttsidecar.broker;

/** MQTT quality of service levels [MQTT-4.3]. */
public enum Qos {
  AT_MOST_ONCE(0),
  AT_LEAST_ONCE(1),
  EXACTLY_ONCE(2);

  private final int value;

  Qos(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /** The QoS for a wire value 0..2. */
  public static Qos of(int value) {
    return switch (value) {
      case 0 -> AT_MOST_ONCE;
      case 1 -> AT_LEAST_ONCE;
      case 2 -> EXACTLY_ONCE;
      default -> throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + value);
    };
  }

  /** The lower of two levels: what a subscriber receives [MQTT-3.8.4-8]. */
  public static Qos min(Qos a, Qos b) {
    return a.value <= b.value ? a : b;
  }
}
