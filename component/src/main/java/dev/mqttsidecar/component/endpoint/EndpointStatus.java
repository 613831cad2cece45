package dev.mqttsidecar.component.endpoint;

/**
 * A snapshot of one endpoint connection, for logs and the metrics endpoint.
 *
 * @param lastError the last connection or publish error, or null
 * @param inFlight publishes sent and not yet acknowledged
 * @param queued publishes waiting for the connection or for room in flight
 * @param forwarded publishes the endpoint acknowledged
 * @param received messages received at its subscriptions
 * @param refused publishes the endpoint refused
 * @param overflow publishes turned away because the queue was full
 * @param connects successful connects, the first included
 */
public record EndpointStatus(
    String name,
    State state,
    String lastError,
    int inFlight,
    int queued,
    long forwarded,
    long received,
    long refused,
    long overflow,
    long connects) {

  public enum State {
    CONNECTING,
    CONNECTED,
    DISCONNECTED,
    CLOSED
  }

  /** One log line's worth. */
  public String summary() {
    return "endpoint "
        + name
        + ": "
        + state
        + ", in flight "
        + inFlight
        + ", queued "
        + queued
        + ", forwarded "
        + forwarded
        + ", received "
        + received
        + ", refused "
        + refused
        + ", overflow "
        + overflow
        + ", connects "
        + connects
        + (lastError == null ? "" : ", last error: " + lastError);
  }
}
