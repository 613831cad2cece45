package dev.mqttsidecar.component.http;

import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.Authenticator;
import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.ClientIdentity;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same authentication and authorization for HTTP requests as for MQTT clients: HTTP Basic (user
 * name and password, checked as a CONNECT's) or {@code Authorization: Bearer <JWT>} (checked as a
 * token in a CONNECT's password), anonymous only when MQTT allows anonymous clients, failed logins
 * counted by the broker's limiter per address; then the broker's authorizer on the identity (see
 * {@link HttpIdentity}).
 */
public final class HttpCredentials {
  private static final Logger log = LoggerFactory.getLogger(HttpCredentials.class);

  /** Both schemes the sidecar accepts, offered to a client that must authenticate. */
  static final String CHALLENGE =
      "Basic realm=\"mqtt-sidecar\", charset=\"UTF-8\", Bearer realm=\"mqtt-sidecar\"";

  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final Executor blocking;

  /**
   * @param blocking where authentication runs: checking a password hash takes milliseconds, too
   *     long for an event loop
   */
  public HttpCredentials(Authenticator authenticator, Authorizer authorizer, Executor blocking) {
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.blocking = blocking;
  }

  /** An authentication's result: the identity, or the reply refusing the request. */
  public record Verdict(HttpIdentity identity, HttpReply refusal) {
    public boolean accepted() {
      return identity != null;
    }
  }

  /**
   * Authenticates the request from its {@code Authorization} header. Completes with a 401 (with
   * {@code WWW-Authenticate}) for missing or wrong credentials, 429 after too many failed logins
   * from the address.
   */
  public CompletableFuture<Verdict> authenticate(HttpExchange exchange) {
    String header = exchange.headers().get(HttpHeaderNames.AUTHORIZATION);
    String remote = exchange.remoteHost();
    java.net.SocketAddress address = exchange.remoteAddress();
    return CompletableFuture.supplyAsync(() -> authenticate(header, address), blocking)
        .exceptionally(
            e -> {
              log.error("checking the credentials of an HTTP request from {} failed", remote, e);
              return new Verdict(
                  null,
                  HttpReply.text(
                      HttpResponseStatus.INTERNAL_SERVER_ERROR,
                      "credentials could not be checked"));
            });
  }

  /** Whether {@code identity} may publish to {@code topic}, as an MQTT client could. */
  public boolean mayPublish(HttpIdentity identity, String topic) {
    return authorizer.mayPublish(identity.client(), topic);
  }

  /** Whether {@code identity} may subscribe to {@code filter}, as an MQTT client could. */
  public boolean maySubscribe(HttpIdentity identity, String filter) {
    return authorizer.maySubscribe(identity.client(), filter);
  }

  private Verdict authenticate(String header, java.net.SocketAddress address) {
    String username = null;
    byte[] password = null;
    if (header != null) {
      String value = header.trim();
      int space = value.indexOf(' ');
      String scheme = space < 0 ? value : value.substring(0, space);
      String credentials = space < 0 ? "" : value.substring(space + 1).trim();
      if (scheme.equalsIgnoreCase("Basic")) {
        String decoded = decodeBasic(credentials);
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        if (colon < 0) {
          return new Verdict(null, unauthorized("malformed Basic credentials"));
        }
        username = decoded.substring(0, colon);
        password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
      } else if (scheme.equalsIgnoreCase("Bearer") && !credentials.isEmpty()) {
        // A token travels as an MQTT CONNECT password: the authenticator recognises its shape.
        password = credentials.getBytes(StandardCharsets.US_ASCII);
      } else {
        return new Verdict(null, unauthorized("unsupported Authorization scheme"));
      }
    }
    ClientIdentity claimed =
        new ClientIdentity(clientId(username), username, null, HttpIdentity.LISTENER, address);
    Authentication result = authenticator.authenticate(claimed, password);
    return switch (result.outcome()) {
      case ACCEPTED ->
          new Verdict(
              new HttpIdentity(
                  new ClientIdentity(
                      clientId(result.username()),
                      result.username(),
                      null,
                      HttpIdentity.LISTENER,
                      address)),
              null);
      case BAD_CREDENTIALS -> new Verdict(null, unauthorized("bad user name, password or token"));
      case NOT_AUTHORIZED -> new Verdict(null, unauthorized("credentials required"));
      case RATE_LIMITED ->
          new Verdict(
              null,
              HttpReply.text(
                  HttpResponseStatus.TOO_MANY_REQUESTS,
                  "too many failed logins from this address; try again later"));
    };
  }

  private static String clientId(String username) {
    return HttpIdentity.CLIENT_ID_PREFIX + (username == null ? "anonymous" : username);
  }

  private static String decodeBasic(String credentials) {
    try {
      return new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static HttpReply unauthorized(String reason) {
    return HttpReply.text(HttpResponseStatus.UNAUTHORIZED, reason)
        .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), CHALLENGE);
  }
}
