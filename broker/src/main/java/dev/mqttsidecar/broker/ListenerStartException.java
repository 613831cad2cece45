package dev.mqttsidecar.broker;

/**
 * A listener could not start because its settings cannot be used, for example a TLS certificate or
 * key file that is missing or unreadable. Thrown by {@link Broker#start()} before any listener
 * binds. The message is one line naming the listener and the file.
 */
public class ListenerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ListenerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
