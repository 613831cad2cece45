package dev.mqttsidecar.component.endpoint;

/**
 * A message an endpoint delivered at a subscription. QoS 1: the endpoint gets its PUBACK only once
 * {@code acknowledge} runs, so what is not yet handled is sent again after a reconnect.
 */
public record ReceivedMessage(RemoteMessage message, Runnable acknowledge) {}
