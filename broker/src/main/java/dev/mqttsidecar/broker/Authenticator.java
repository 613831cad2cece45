package dev.mqttsidecar.broker;

/** Decides whether a CONNECT may proceed. Called off the event loop; may block briefly. */
@FunctionalInterface
public interface Authenticator {

  /** Allows everyone, under the user name they sent. */
  Authenticator ALLOW_ALL = (client, password) -> Authentication.accepted(client.username());

  /**
   * @param client who connects: the CONNECT's client id and user name, the listener, the address
   *     and the verified client certificate's name
   * @param password the password bytes, or null when none was sent
   */
  Authentication authenticate(ClientIdentity client, byte[] password);
}
