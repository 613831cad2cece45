package dev.mqttsidecar.state;

/** Carries a {@link StateError} out of request parsing, where a return value does not fit. */
public final class StateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient StateError error;

  public StateException(StateError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public static StateException invalid(String message) {
    return new StateException(new StateError.InvalidArgument(message));
  }

  public StateError error() {
    return error;
  }
}
