package dev.mqttsidecar.bench.load;

/**
 * The generator's payload layout: publisher index (int), sequence number (long) and send time
 * ({@link System#nanoTime()}, long), padded with zeros to the configured size. Publishers and
 * subscribers share one JVM, so the send time is comparable with the receive time. Written by
 * {@link dev.mqttsidecar.bench.mqtt.Packets#writePublish}.
 */
final class Payload {
  /** Bytes the header takes; the smallest payload size. */
  static final int HEADER_BYTES = 20;

  private Payload() {}
}
