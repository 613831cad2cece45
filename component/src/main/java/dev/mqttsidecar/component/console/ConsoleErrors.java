package dev.mqttsidecar.component.console;

import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.state.StateError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the console's refusals to HTTP statuses with a message that says what to do. */
final class ConsoleErrors {
  private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

  private ConsoleErrors() {}

  static ConsoleResponse response(Throwable failure) {
    Throwable t = ConsoleApi.cause(failure);
    if (t instanceof BadRequest b) {
      return ConsoleResponse.error(400, b.getMessage());
    }
    if (t instanceof ConsoleAccess.NotAllowed n) {
      return ConsoleResponse.error(403, n.getMessage());
    }
    if (t instanceof RetainedBrowser.WriteRefused w) {
      int status =
          switch (w.status()) {
            case CONFLICT -> 409;
            case INVALID -> 400;
            case QUOTA_EXCEEDED -> 413;
            case STORAGE_BUSY -> 503;
            default -> 500;
          };
      return ConsoleResponse.error(status, w.getMessage());
    }
    if (t instanceof StateBrowser.StateRefused s) {
      return ConsoleResponse.error(status(s.error()), s.getMessage());
    }
    log.warn("console request failed", t);
    return ConsoleResponse.error(500, "internal error: " + t);
  }

  private static int status(StateError error) {
    if (error instanceof StateError.EtagMismatch) {
      return 409;
    }
    if (error instanceof StateError.TooLarge || error instanceof StateError.QuotaExceeded) {
      return 413;
    }
    if (error instanceof StateError.Busy || error instanceof StateError.Unavailable) {
      return 503;
    }
    return 400; // EtagInvalid, InvalidArgument
  }

  /** A publish the broker refused, with the status its reason code stands for. */
  static ConsoleResponse publishRefused(PublishResult result) {
    int status =
        switch (result.status()) {
          case INVALID_TOPIC -> 400;
          case NOT_AUTHORIZED -> 403;
          case TOO_LARGE, QUOTA_EXCEEDED -> 413;
          case UNAVAILABLE -> 503;
          default -> 500;
        };
    String reason = result.reason().isEmpty() ? result.status().name() : result.reason();
    return ConsoleResponse.error(status, "publish refused (" + result.status() + "): " + reason);
  }
}
