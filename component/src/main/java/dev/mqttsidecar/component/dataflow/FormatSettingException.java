package dev.mqttsidecar.component.dataflow;

/** A format's setting is wrong; {@link #key} names it relative to the dataflow. */
public final class FormatSettingException extends IllegalArgumentException {
  private final String key;

  FormatSettingException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The setting, such as {@code protobuf.messageType}. */
  public String key() {
    return key;
  }
}
