package dev.mqttsidecar.state.query;

/** The comparison operators of Dapr's state query language. */
public enum CompareOp {
  EQ,
  NEQ,
  GT,
  GTE,
  LT,
  LTE
}
