package dev.mqttsidecar.component.pubsub;

/**
 * The result of publishing one Dapr message.
 *
 * @param kind published, or why not
 * @param detail a human-readable reason for a failure, or empty
 */
record PublishOutcome(Kind kind, String detail) {

  /** Published, or a failure class the gRPC adapter maps to a status. */
  enum Kind {
    PUBLISHED,
    /** The request is malformed: topic, metadata value, size. */
    INVALID,
    /** The broker's authorizer refused the topic. */
    NOT_AUTHORIZED,
    /** A queue or in-flight bound was hit; retry later. */
    OVERLOADED,
    /** The broker is stopping or could not store the message. */
    UNAVAILABLE
  }

  static final PublishOutcome PUBLISHED = new PublishOutcome(Kind.PUBLISHED, "");

  static PublishOutcome failed(Kind kind, String detail) {
    return new PublishOutcome(kind, detail);
  }

  boolean ok() {
    return kind == Kind.PUBLISHED;
  }
}
