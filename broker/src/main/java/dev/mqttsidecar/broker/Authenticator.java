package dev.mqttsidecar.broker;

/**
 * Decides whether a CONNECT may proceed. Called off the event loop, where it may block briefly,
 * unless it says it never does ({@link #mayBlock}).
 */
@FunctionalInterface
public interface Authenticator {

  /** Allows everyone, under the user name they sent. */
  Authenticator ALLOW_ALL =
      new Authenticator() {
        @Override
        public Authentication authenticate(ClientIdentity client, byte[] password) {
          return Authentication.accepted(client.username());
        }

        @Override
        public boolean mayBlock() {
          return false;
        }
      };

  /**
   * @param client who connects: the CONNECT's client id and user name, the listener, the address
   *     and the verified client certificate's name
   * @param password the password bytes, or null when none was sent
   */
  Authentication authenticate(ClientIdentity client, byte[] password);

  /**
   * Whether {@link #authenticate} may take long: a password hash, a signature, a call to another
   * service. Then it runs on the broker's worker pool; otherwise on the connection's event loop,
   * which saves two thread hops per CONNECT. It must then never block.
   */
  default boolean mayBlock() {
    return true;
  }
}
