package dev.mqttsidecar.broker;

import java.net.SocketAddress;

/** Decides whether a CONNECT may proceed. Called off the event loop; may block briefly. */
@FunctionalInterface
public interface Authenticator {

  /** Allows everyone. */
  Authenticator ALLOW_ALL = (clientId, username, password, remote) -> true;

  /**
   * @param password the password bytes, or null when none was sent
   * @return true to accept; false gets CONNACK 0x86 (5.0) / 0x04 (3.1.1)
   */
  boolean authenticate(String clientId, String username, byte[] password, SocketAddress remote);
}
