package dev.mqttsidecar.broker;

import java.net.SocketAddress;

/**
 * MQTT 5 enhanced authentication [MQTT-4.12]: a challenge/response method named by the CONNECT's
 * Authentication Method, carried in AUTH packets. Runs off the event loop and may block. A method
 * it does not support is refused with CONNACK 0x8C.
 */
public interface EnhancedAuthenticator {

  /** What the authenticator decided after one step. */
  enum Outcome {
    /**
     * Authenticated: CONNACK 0x00 (AUTH 0x00 for a re-authentication), carrying {@link Step#data()}
     * as Authentication Data.
     */
    SUCCESS,
    /** Another round: AUTH 0x18 Continue authentication carrying {@link Step#data()}. */
    CONTINUE,
    /** Refused: CONNACK 0x87 Not authorized (DISCONNECT 0x87 for a re-authentication). */
    FAILURE
  }

  /**
   * One step's result.
   *
   * @param outcome what happens next
   * @param data Authentication Data to send to the client, or null
   */
  record Step(Outcome outcome, byte[] data) {
    public static Step success() {
      return new Step(Outcome.SUCCESS, null);
    }

    public static Step failure() {
      return new Step(Outcome.FAILURE, null);
    }

    public static Step challenge(byte[] data) {
      return new Step(Outcome.CONTINUE, data);
    }
  }

  /** Whether {@code method} (the Authentication Method) is one this authenticator implements. */
  boolean supports(String method);

  /**
   * Starts an exchange: for a CONNECT that named a supported {@code method}, and again for each
   * re-authentication (AUTH 0x19) on that connection.
   */
  Exchange begin(String clientId, String method, SocketAddress remoteAddress);

  /** The state of one connection's exchange; its steps run one at a time. */
  interface Exchange {
    /**
     * One step: first with the Authentication Data of CONNECT (or AUTH 0x19), then with each client
     * AUTH 0x18.
     *
     * @param data the client's Authentication Data, or null
     */
    Step step(byte[] data);
  }
}
