package dev.mqttsidecar.component.dataflow;

/** One message cannot go through a dataflow (no such field, not JSON, ...); the flow goes on. */
public final class FlowMessageException extends RuntimeException {
  public FlowMessageException(String message) {
    super(message);
  }
}
