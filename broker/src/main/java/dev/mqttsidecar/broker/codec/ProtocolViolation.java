package dev.mqttsidecar.broker.codec;

/**
 * A protocol error found while framing or validating input, passed down the pipeline as a value:
 * the connection handler answers (5.0: DISCONNECT with {@code reason}) and closes the connection.
 */
public record ProtocolViolation(ReasonCode reason, String detail) {}
