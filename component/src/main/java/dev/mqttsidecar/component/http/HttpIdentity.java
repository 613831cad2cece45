package dev.mqttsidecar.component.http;

import dev.mqttsidecar.broker.ClientIdentity;

/**
 * Who an authenticated HTTP request is, as the broker's authorizer sees it: client id {@code
 * http-<username>} ({@code http-anonymous} without one), the authenticated user name (a token's
 * subject for a JWT), listener {@code http}.
 */
public record HttpIdentity(ClientIdentity client) {
  /** The listener name HTTP requests carry, for authorization rules. */
  public static final String LISTENER = "http";

  /** The client id prefix of HTTP requests. */
  public static final String CLIENT_ID_PREFIX = "http-";

  public String clientId() {
    return client.clientId();
  }

  /** The authenticated user name, or null when anonymous. */
  public String username() {
    return client.username();
  }
}
