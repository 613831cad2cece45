package dev.mqttsidecar.broker.model;

/** The broker a model run talks to: in this process, or a process of its own that can be killed. */
public interface BrokerUnderTest extends AutoCloseable {
  /** The MQTT port on 127.0.0.1; may change with every start. */
  int port();

  /** Stops the broker the normal way and starts it again on the same data. */
  void restart() throws Exception;

  /** Kills the broker with SIGKILL and starts it again on the same data. */
  void crash() throws Exception;

  /** Whether the broker forgets everything when it stops. */
  boolean memoryOnly();
}
