package dev.mqttsidecar.broker.core;

/**
 * What queueing one message for its subscribers did.
 *
 * @param matched subscriptions that matched (a shared group counts once)
 * @param dropped how many of them had a full queue and dropped it ({@code DROP_NEWEST})
 */
public record FanOut(int matched, int dropped) {}
