package dev.mqttsidecar.component.dataflow;

import java.util.concurrent.CompletableFuture;

/** Where a dataflow sends its messages. */
interface Destination {

  /**
   * Completes once the destination accepted the message (stored by the embedded broker,
   * acknowledged by the endpoint); exceptionally with {@link Refused} when sending it again would
   * not help, with anything else when it may be tried again.
   */
  CompletableFuture<Void> send(FlowMessage message);

  /** A refusal for good: the topic is not allowed, the message too large. */
  final class Refused extends RuntimeException {
    Refused(String reason) {
      super(reason);
    }
  }
}
