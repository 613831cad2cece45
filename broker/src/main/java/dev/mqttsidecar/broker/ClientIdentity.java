package dev.mqttsidecar.broker;

import java.net.SocketAddress;

/**
 * Who a connection is, as authentication established it: what authorization rules match on.
 *
 * @param clientId the MQTT Client Identifier (assigned by the broker when the client sent none)
 * @param username the authenticated user name: the CONNECT's User Name, or the name an
 *     authenticator vouched for (a token's subject); null when anonymous
 * @param certCommonName the verified client certificate's subject CN (or, without one, its first
 *     subject alternative name); null without a client certificate
 * @param listener the name of the listener the client connected to
 * @param remoteAddress the client's address
 */
public record ClientIdentity(
    String clientId,
    String username,
    String certCommonName,
    String listener,
    SocketAddress remoteAddress) {

  /** This identity under another user name (what an authenticator vouched for). */
  public ClientIdentity withUsername(String authenticated) {
    return new ClientIdentity(clientId, authenticated, certCommonName, listener, remoteAddress);
  }
}
