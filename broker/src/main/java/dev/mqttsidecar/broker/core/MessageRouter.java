package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.session.DeliveryOptions;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.SharedGroup;
import dev.mqttsidecar.broker.subscription.SubscriptionIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Hands a message to every subscription that matches its topic, with each subscriber's options
 * applied by {@link DeliveryOptions} (shared groups apply their member's when they hand it out).
 */
public final class MessageRouter {
  private final SubscriptionIndex index;

  public MessageRouter(SubscriptionIndex index) {
    this.index = index;
  }

  /** Queues a message for every matching subscription; completes once it is queued everywhere. */
  public CompletableFuture<FanOut> route(Message message, String originClientId) {
    SubscriptionIndex.Matches matches = index.match(message.topic());
    List<CompletableFuture<Boolean>> queued = new ArrayList<>(matches.count());
    for (Map.Entry<Session, List<SubscriptionOptions>> e : matches.sessions().entrySet()) {
      Session session = e.getKey();
      DeliveryOptions delivery =
          DeliveryOptions.combine(e.getValue(), isOwn(session, originClientId));
      if (delivery != null) {
        queued.add(session.enqueue(delivery.queueForwarded(message)));
      }
    }
    List<SharedGroup> groups = matches.groups();
    for (int i = 0; i < groups.size(); i++) { // indexed: no iterator per message
      queued.add(groups.get(i).offer(message));
    }
    return collect(queued);
  }

  /**
   * Whether the subscriber is the MQTT client that published the message, which its No Local
   * subscriptions skip [MQTT-3.8.3-3]; never for an in-process subscriber.
   */
  private static boolean isOwn(Session session, String originClientId) {
    return originClientId != null
        && originClientId.equals(session.clientId())
        && !InProcessSubscriptions.owns(session);
  }

  /**
   * Completes once every queue took (or dropped) the message. Queues that took it at once (a
   * subscriber on the publisher's event loop) need no callback; one subscriber needs no allOf.
   */
  private static CompletableFuture<FanOut> collect(List<CompletableFuture<Boolean>> queued) {
    int matched = queued.size();
    int dropped = 0;
    for (int i = 0; i < matched; i++) {
      CompletableFuture<Boolean> q = queued.get(i);
      if (!q.isDone() || q.isCompletedExceptionally()) {
        return whenAllQueued(queued);
      }
      dropped += q.join() ? 1 : 0;
    }
    return CompletableFuture.completedFuture(new FanOut(matched, dropped));
  }

  private static CompletableFuture<FanOut> whenAllQueued(List<CompletableFuture<Boolean>> queued) {
    int matched = queued.size();
    if (matched == 1) {
      return queued.get(0).thenApply(dropped -> new FanOut(matched, dropped ? 1 : 0));
    }
    return CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                new FanOut(matched, (int) queued.stream().filter(CompletableFuture::join).count()));
  }
}
