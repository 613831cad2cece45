package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionContext;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Subscribers inside the process (Dapr's PullMessages streams): each is a session of its own whose
 * outbound is the {@link Subscriber}, kept apart from MQTT client ids by a key prefix.
 */
public final class InProcessSubscriptions {
  /** MQTT client ids cannot hold U+0000, so no MQTT session can take an in-process key. */
  private static final String KEY_PREFIX = "\u0000in-process/";

  private static final int ATTACH_WAIT_SECONDS = 5;

  private final BrokerServices services;

  public InProcessSubscriptions(BrokerServices services) {
    this.services = services;
  }

  /** Whether {@code session} belongs to an in-process subscriber. */
  static boolean owns(Session session) {
    return session.key().startsWith(KEY_PREFIX);
  }

  /** Whether a session key is an in-process subscriber's (MQTT client ids never hold U+0000). */
  public static boolean isInProcessKey(String key) {
    return key.startsWith(KEY_PREFIX);
  }

  /** Subscribes; a new filter for the same session id replaces the old one. */
  public Subscription subscribe(SubscriptionRequest request, Subscriber subscriber) {
    TopicFilter filter = services.rules().parseFilter(request.filter());
    SessionContext ctx = services.sessionContext();
    Session session =
        services
            .sessions()
            .open(
                KEY_PREFIX + request.sessionId(),
                false,
                key -> new Session(key, request.sessionId(), ctx))
            .session();
    session.setExpiry(request.sessionExpiry());
    for (String raw : new ArrayList<>(session.subscriptions().keySet())) {
      if (!raw.equals(filter.raw())) {
        services.subscriptions().unsubscribe(session, services.rules().parseFilter(raw));
      }
    }
    SubscriberOutbound outbound = new SubscriberOutbound(subscriber);
    CompletableFuture<Void> attached = session.attach(outbound, request.maxInflight(), () -> {});
    if (!session.executor().inExecutor()) {
      // Once subscribe returns the subscriber is online (a shared group can pick it at once).
      try {
        attached.get(ATTACH_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // The attach still happens; only the wait gave up.
      }
    }
    // In-process subscribers see the RETAIN flag as published; retained messages only when new.
    SubscriptionOptions options = new SubscriptionOptions(request.maxQos(), false, true, 1);
    SubscriptionService subscriptions = services.subscriptions();
    subscriptions.sendRetained(
        session, filter, options, subscriptions.subscribe(session, filter, options), false);
    return new InProcessSubscription(session, outbound);
  }
}
