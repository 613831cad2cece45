package dev.mqttsidecar.broker;

/** A live in-process subscription. */
public interface Subscription extends AutoCloseable {

  /** Stops delivering new messages; unsettled ones stay in flight until settled. Idempotent. */
  void pause();

  /** Resumes delivery after {@link #pause()}. Idempotent. */
  void resume();

  /**
   * Detaches the subscriber. Unsettled deliveries return to the queue for redelivery. If the
   * request had a session expiry the session (or group) keeps queueing messages until it expires or
   * a subscriber with the same session id (or group) subscribes again.
   */
  @Override
  void close();
}
