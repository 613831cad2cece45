package dev.mqttsidecar.component.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a connection's JWT fresh: from the last fifth of the token's life on (at most its last
 * minute, see {@link Credentials#renewalDelay}) it reads the token file every few seconds, and once
 * the file holds another token it asks for a reconnect, whose CONNECT reads the new one. Kubernetes
 * writes a projected service-account token anew well before the old one expires.
 */
public final class TokenRenewal {
  private static final Logger log = LoggerFactory.getLogger(TokenRenewal.class);
  static final Duration CHECK = Duration.ofSeconds(5);

  private final String name;
  private final Credentials credentials;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Predicate<String> inUse;
  private final Runnable reconnect;

  /**
   * @param name who renews, for the log
   * @param inUse whether a token is still the one the live connection uses: false once the
   *     connection closed or reconnected meanwhile
   * @param reconnect closes the connection so that it reconnects with the file's token
   */
  public TokenRenewal(
      String name,
      Credentials credentials,
      ScheduledExecutorService scheduler,
      Clock clock,
      Predicate<String> inUse,
      Runnable reconnect) {
    this.name = name;
    this.credentials = credentials;
    this.scheduler = scheduler;
    this.clock = clock;
    this.inUse = inUse;
    this.reconnect = reconnect;
  }

  /** A connection came up with {@code token} (null when none): watch it until it is replaced. */
  public void connectedWith(String token) {
    Duration wait = Credentials.renewalDelay(token, clock.instant());
    if (wait != null) {
      scheduler.schedule(() -> check(token), wait.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void check(String used) {
    if (!inUse.test(used)) {
      return;
    }
    String current;
    try {
      current = credentials.token();
    } catch (RuntimeException e) {
      current = null; // being rewritten, or gone for now: read again
    }
    if (current == null || current.equals(used)) {
      scheduler.schedule(() -> check(used), CHECK.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    if (!inUse.test(used)) {
      return; // reconnected while the file was read, with the new token already
    }
    log.info("{}: token file renewed; reconnecting with the new token", name);
    reconnect.run();
  }
}
