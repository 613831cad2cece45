package dev.mqttsidecar.component.dataflow;

/** Settles a message with its source. */
interface Acknowledgement {
  /** Done with it: the source may forget it. */
  void ack();
}
