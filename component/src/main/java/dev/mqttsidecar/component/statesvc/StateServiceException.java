package dev.mqttsidecar.component.statesvc;

import dev.mqttsidecar.state.grpc.StateFailure;

/** The state service answered a request with an error status, or did not answer in time. */
public final class StateServiceException extends RuntimeException {
  private final StateFailure failure;

  public StateServiceException(StateFailure failure) {
    super(failure.status() + ": " + failure.message());
    this.failure = failure;
  }

  /** The status, message and ETag field as the service sent them. */
  public StateFailure failure() {
    return failure;
  }
}
