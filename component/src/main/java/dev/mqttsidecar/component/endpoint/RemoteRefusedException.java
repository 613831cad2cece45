package dev.mqttsidecar.component.endpoint;

/** The other broker refused a publish or a subscription: sending it again would not help. */
public final class RemoteRefusedException extends RuntimeException {
  public RemoteRefusedException(String message) {
    super(message);
  }
}
