package dev.mqttsidecar.component.endpoint;

import dev.mqttsidecar.component.endpoint.EndpointStatus.State;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to another MQTT broker, shared by everything that uses the endpoint: it connects
 * and reconnects (capped exponential backoff, a persistent session under a stable client
 * identifier, credentials re-read at each attempt, a JWT renewed before it expires), queues
 * publishes while the broker is unreachable (bounded; overflow refused and counted) and sends them
 * in order with at most {@code maxInflightMessages} unacknowledged, and hands received messages to
 * the handlers whose filters match them.
 */
public final class EndpointConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointConnection.class);
  static final Duration FIRST_RETRY = Duration.ofMillis(250);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private record Pending(RemoteMessage message, CompletableFuture<Void> done) {}

  private record Route(String filter, int qos, Consumer<ReceivedMessage> handler) {}

  private final EndpointSettings settings;
  private final String clientId;
  private final RemoteClient client;
  private final Credentials credentials;
  private final TokenRenewal renewal;
  private final List<Route> routes = new ArrayList<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  private State state = State.CONNECTING;
  private String lastError;
  private int inFlight;
  private int failedAttempts;
  private long forwarded;
  private long received;
  private long refused;
  private long overflow;
  private long connects;
  private boolean subscribed;
  private String tokenInUse;
  private boolean started;

  public EndpointConnection(
      EndpointSettings settings, String clientId, ScheduledExecutorService scheduler) {
    this(settings, clientId, scheduler, System::getenv, Clock.systemUTC());
  }

  EndpointConnection(
      EndpointSettings settings,
      String clientId,
      ScheduledExecutorService scheduler,
      java.util.function.Function<String, String> environment,
      Clock clock) {
    this.settings = settings;
    this.clientId = clientId;
    this.credentials = new Credentials(settings.authentication(), environment);
    var ssl = settings.tls() == null ? null : EndpointTls.sslConfig(settings.tls());
    this.client =
        settings.mqttVersion() == EndpointSettings.MqttVersion.MQTT_5
            ? new Mqtt5RemoteClient(settings, clientId, ssl)
            : new Mqtt3RemoteClient(settings, clientId, ssl);
    this.renewal =
        new TokenRenewal(
            "endpoint " + settings.name(),
            credentials,
            scheduler,
            clock,
            this::connectedWith,
            () -> client.disconnect(true));
  }

  public EndpointSettings settings() {
    return settings;
  }

  public String clientId() {
    return clientId;
  }

  /** Subscribes {@code filter} once connected; matching messages go to {@code handler}. */
  public synchronized void subscribe(String filter, Consumer<ReceivedMessage> handler) {
    if (started) {
      throw new IllegalStateException("subscribe before start");
    }
    routes.add(new Route(filter, settings.qos(), handler));
  }

  /** Connects in the background; returns at once. */
  public synchronized void start() {
    started = true;
    log.info(
        "endpoint {}: connecting to {}:{} as {}",
        settings.name(),
        settings.host(),
        settings.port(),
        clientId);
    client.start(new Events(), this::dispatch);
  }

  /**
   * Sends {@code message} as soon as the connection allows. Completes when the endpoint
   * acknowledged it (QoS 1) or it was written (QoS 0); exceptionally with {@link
   * RemoteRefusedException} when the endpoint refused it, with {@link QueueFullException} when the
   * queue is full, and with {@link java.util.concurrent.CancellationException} when the connection
   * closes first.
   */
  public synchronized CompletableFuture<Void> publish(RemoteMessage message) {
    if (state == State.CLOSED) {
      return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException());
    }
    if (queue.size() >= settings.maxBufferedMessages()) {
      if (overflow++ % 1000 == 0) {
        log.warn(
            "endpoint {}: {} messages wait already (maxBufferedMessages); {} turned away so far",
            settings.name(),
            queue.size(),
            overflow);
      }
      return CompletableFuture.failedFuture(new QueueFullException(settings.name()));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending(message, done));
    pump();
    return done;
  }

  private void pump() {
    while (state == State.CONNECTED
        && inFlight < settings.maxInflightMessages()
        && !queue.isEmpty()) {
      Pending pending = queue.poll();
      inFlight++;
      CompletableFuture<Void> sent;
      try {
        sent = client.publish(pending.message());
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((ok, error) -> sent(pending, error));
    }
  }

  private synchronized void sent(Pending pending, Throwable error) {
    inFlight--;
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (cause == null) {
      forwarded++;
      pending.done().complete(null);
    } else if (cause instanceof RemoteRefusedException
        || cause instanceof IllegalArgumentException) {
      refused++;
      lastError = "publish to " + pending.message().topic() + " refused: " + cause.getMessage();
      log.warn("endpoint {}: {}", settings.name(), lastError);
      pending.done().completeExceptionally(cause);
    } else if (state == State.CLOSED) {
      pending.done().cancel(false);
    } else {
      // The connection broke under it: first in line again once it is back.
      lastError = String.valueOf(cause);
      queue.addFirst(pending);
    }
    pump();
  }

  private void dispatch(ReceivedMessage inbound) {
    List<Consumer<ReceivedMessage>> handlers = new ArrayList<>();
    synchronized (this) {
      received++;
      for (Route route : routes) {
        if (TopicFilters.matches(route.filter(), inbound.message().topic())) {
          handlers.add(route.handler());
        }
      }
    }
    if (handlers.isEmpty()) {
      inbound
          .acknowledge()
          .run(); // a subscription of an earlier configuration, still in the session
      return;
    }
    // Acknowledged to the endpoint once every flow it reached has handled it.
    AtomicInteger remaining = new AtomicInteger(handlers.size());
    Runnable one =
        () -> {
          if (remaining.decrementAndGet() == 0) {
            inbound.acknowledge().run();
          }
        };
    for (Consumer<ReceivedMessage> handler : handlers) {
      handler.accept(new ReceivedMessage(inbound.message(), one));
    }
  }

  /** A snapshot of the connection's state and counters. */
  public synchronized EndpointStatus status() {
    return new EndpointStatus(
        settings.name(),
        state,
        lastError,
        inFlight,
        queue.size(),
        forwarded,
        received,
        refused,
        overflow,
        connects);
  }

  /** Disconnects; publishes still waiting complete with a cancellation. */
  @Override
  public void close() {
    List<Pending> abandoned;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      setState(State.CLOSED, null);
      abandoned = new ArrayList<>(queue);
      queue.clear();
    }
    client.disconnect(false);
    abandoned.forEach(p -> p.done().cancel(false));
  }

  private void setState(State next, String error) {
    if (error != null) {
      lastError = error;
    }
    if (next == state) {
      return;
    }
    State previous = state;
    state = next;
    if (next == State.CONNECTED) {
      log.info("endpoint {}: connected ({})", settings.name(), status().summary());
    } else if (previous == State.CONNECTED || next == State.CLOSED) {
      log.warn("endpoint {}: {} ({})", settings.name(), next, status().summary());
    }
  }

  private synchronized Duration retryDelay() {
    long millis = FIRST_RETRY.toMillis() << Math.min(failedAttempts++, 16);
    return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
  }

  private void subscribeRoutes() {
    List<Route> toSubscribe;
    synchronized (this) {
      if (subscribed) {
        return; // the client subscribes again itself if the session was lost
      }
      subscribed = true;
      toSubscribe = List.copyOf(routes);
    }
    for (Route route : toSubscribe) {
      client
          .subscribe(route.filter(), route.qos())
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  synchronized (this) {
                    subscribed = false; // again on the next connect
                    lastError = "subscribe " + route.filter() + ": " + error.getMessage();
                  }
                  log.warn("endpoint {}: {}", settings.name(), lastError);
                }
              });
    }
  }

  private synchronized boolean connectedWith(String token) {
    return state == State.CONNECTED && token.equals(tokenInUse);
  }

  private final class Events implements RemoteClient.Events {
    @Override
    public void connected() {
      String token;
      synchronized (EndpointConnection.this) {
        if (state == State.CLOSED) {
          return;
        }
        failedAttempts = 0;
        connects++;
        setState(State.CONNECTED, null);
        token = tokenInUse;
        pump();
      }
      subscribeRoutes();
      renewal.connectedWith(token);
    }

    @Override
    public Duration disconnected(Throwable cause) {
      synchronized (EndpointConnection.this) {
        if (state == State.CLOSED) {
          return null;
        }
        setState(State.DISCONNECTED, cause == null ? null : cause.getMessage());
      }
      Duration delay = retryDelay();
      log.debug("endpoint {}: next attempt in {}", settings.name(), delay);
      return delay;
    }

    @Override
    public RemoteClient.ConnectSpec nextConnect() {
      Credentials.UsernamePassword credentials;
      try {
        credentials = EndpointConnection.this.credentials.next();
      } catch (RuntimeException e) {
        // Tried as it is; the refusal and this reason show in the status.
        synchronized (EndpointConnection.this) {
          lastError = e.getMessage();
        }
        log.warn("endpoint {}: {}", settings.name(), e.getMessage());
        credentials = Credentials.UsernamePassword.NONE;
      }
      synchronized (EndpointConnection.this) {
        tokenInUse =
            settings.authentication() instanceof EndpointSettings.Authentication.Jwt
                    && credentials.password() != null
                ? new String(credentials.password(), java.nio.charset.StandardCharsets.UTF_8)
                : null;
      }
      return new RemoteClient.ConnectSpec(
          credentials.username(),
          credentials.password(),
          settings.sessionExpiry(),
          settings.keepAlive(),
          settings.maxInflightMessages());
    }
  }
}
