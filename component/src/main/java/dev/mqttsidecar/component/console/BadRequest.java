package dev.mqttsidecar.component.console;

/** A console request the server refuses with 400 and this message; nothing was changed. */
public final class BadRequest extends RuntimeException {
  public BadRequest(String message) {
    super(message, null, false, false);
  }
}
