package dev.mqttsidecar.broker;

/**
 * What {@link Broker#publish} did with a message.
 *
 * @param status accepted, or why not
 * @param matchedSubscribers how many subscriptions (a shared group counts once) will receive it
 * @param reason a human-readable detail for a rejection, or empty
 */
public record PublishResult(Status status, int matchedSubscribers, String reason) {

  /** The outcome of a publish; every non-accepted status maps to an MQTT 5 reason code. */
  public enum Status {
    /** Accepted, and durable if the broker is configured to be. */
    ACCEPTED,
    /** The topic name is not valid for a PUBLISH (0x90). */
    INVALID_TOPIC,
    /** The publisher may not publish to this topic (0x87). */
    NOT_AUTHORIZED,
    /** The message is larger than the broker accepts (0x95). */
    TOO_LARGE,
    /**
     * A queue or in-flight bound was hit, or storing a retained message would pass a retained quota
     * (then it was neither stored nor delivered, and the reason names the quota) (0x97).
     */
    QUOTA_EXCEEDED,
    /** The broker could not store the message durably (0x80); nothing was acknowledged. */
    STORAGE_FAILED,
    /** The broker is stopping or stopped (0x8B). */
    UNAVAILABLE
  }

  public static PublishResult accepted(int matched) {
    return new PublishResult(Status.ACCEPTED, matched, "");
  }

  public static PublishResult rejected(Status status, String reason) {
    return new PublishResult(status, 0, reason);
  }

  public boolean isAccepted() {
    return status == Status.ACCEPTED;
  }
}
