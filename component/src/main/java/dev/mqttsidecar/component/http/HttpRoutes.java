package dev.mqttsidecar.component.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's routes: a method and a path, exact ({@code /healthz}) or a prefix ending in {@code
 * /*} ({@code /topics/*}, the rest of the path given to the handler). Routes may be added while the
 * server runs; the first matching one wins, and an exact route before a prefix.
 */
public final class HttpRoutes {
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final Map<String, WebSocketRoute> webSockets = new ConcurrentHashMap<>();

  /** A registered route. */
  record Route(HttpMethod method, String path, boolean prefix, HttpHandler handler) {
    boolean matchesPath(String requestPath) {
      return prefix ? requestPath.startsWith(path) : requestPath.equals(path);
    }
  }

  /**
   * Adds a route.
   *
   * @param pattern {@code /exact/path} or {@code /prefix/*}
   * @throws IllegalArgumentException for a pattern not starting with {@code /}, or a method and
   *     pattern registered already
   */
  public HttpRoutes add(HttpMethod method, String pattern, HttpHandler handler) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(handler, "handler");
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a route starts with /: " + pattern);
    }
    boolean prefix = pattern.endsWith("/*");
    String path = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
    for (Route existing : routes) {
      if (existing.method.equals(method)
          && existing.path.equals(path)
          && existing.prefix == prefix) {
        throw new IllegalArgumentException(method + " " + pattern + " is registered already");
      }
    }
    routes.add(new Route(method, path, prefix, handler));
    return this;
  }

  public HttpRoutes get(String pattern, HttpHandler handler) {
    return add(HttpMethod.GET, pattern, handler);
  }

  public HttpRoutes post(String pattern, HttpHandler handler) {
    return add(HttpMethod.POST, pattern, handler);
  }

  /**
   * Makes {@code path} (exact) a WebSocket endpoint.
   *
   * @throws IllegalArgumentException when it is one already
   */
  public HttpRoutes webSocket(String path, WebSocketRoute route) {
    Objects.requireNonNull(route, "route");
    if (webSockets.putIfAbsent(path, route) != null) {
      throw new IllegalArgumentException(path + " is a WebSocket endpoint already");
    }
    return this;
  }

  WebSocketRoute webSocketAt(String path) {
    return webSockets.get(path);
  }

  /** The route for {@code method} on {@code path}: exact routes first, then the longest prefix. */
  Route find(HttpMethod method, String path) {
    Route best = null;
    for (Route route : routes) {
      if (route.method.equals(method) && route.matchesPath(path) && better(route, best)) {
        best = route;
      }
    }
    return best;
  }

  /** Whether some route serves {@code path} with another method (405 rather than 404). */
  boolean pathExists(String path) {
    for (Route route : routes) {
      if (route.matchesPath(path)) {
        return true;
      }
    }
    return webSockets.containsKey(path);
  }

  /** The methods allowed on {@code path}, for the {@code Allow} header of a 405. */
  String allowedMethods(String path) {
    StringBuilder allowed = new StringBuilder();
    for (Route route : routes) {
      if (route.matchesPath(path) && allowed.indexOf(route.method.name()) < 0) {
        allowed.append(allowed.isEmpty() ? "" : ", ").append(route.method.name());
      }
    }
    return allowed.isEmpty() ? "GET" : allowed.toString();
  }

  private static boolean better(Route candidate, Route best) {
    if (best == null) {
      return true;
    }
    if (best.prefix != candidate.prefix) {
      return !candidate.prefix;
    }
    return candidate.path.length() > best.path.length();
  }
}
