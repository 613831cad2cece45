package dev.mqttsidecar.broker.codec;

/**
 * Follows every frame {@link MqttFrameValidator} passes to {@code MqttDecoder}. The decoder passes
 * it through unchanged, right after the packets it decoded from that frame; so exactly one packet
 * must precede each marker. Fewer means the decoder wants bytes past the declared remaining length
 * (it would read into the next packet), more means bytes were left over: both are malformed.
 */
public enum FrameEnd {
  INSTANCE
}
