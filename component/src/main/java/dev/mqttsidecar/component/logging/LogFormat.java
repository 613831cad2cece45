package dev.mqttsidecar.component.logging;

import java.util.Locale;

/** How log events are written to standard output. */
public enum LogFormat {
  /** One readable line per event (the default). */
  TEXT,
  /** One JSON object per line, for log collectors. */
  JSON;

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static LogFormat parse(String value) {
    for (LogFormat format : values()) {
      if (format.name().equalsIgnoreCase(value)) {
        return format;
      }
    }
    throw new IllegalArgumentException("must be text or json, was '" + value + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
