package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.SharedGroup;
import dev.mqttsidecar.broker.subscription.SubscriptionIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Hands a message to every subscription that matches its topic, applying each subscription's
 * options (QoS downgrade, Retain As Published, No Local, subscription ids) on the way.
 */
public final class MessageRouter {
  private static final int[] NO_IDS = new int[0];
  private final SubscriptionIndex index;

  public MessageRouter(SubscriptionIndex index) {
    this.index = index;
  }

  /** Queues a message for every matching subscription; completes once it is queued everywhere. */
  public CompletableFuture<FanOut> route(Message message, String originClientId) {
    SubscriptionIndex.Matches matches = index.match(message.topic());
    List<CompletableFuture<Boolean>> queued = new ArrayList<>(matches.sessions().size());
    int count = 0;
    for (Map.Entry<Session, List<SubscriptionOptions>> e : matches.sessions().entrySet()) {
      Session session = e.getKey();
      Qos qos = null;
      boolean retainAsPublished = false;
      int[] ids = NO_IDS;
      for (SubscriptionOptions o : e.getValue()) {
        if (o.noLocal()
            && originClientId != null
            && originClientId.equals(session.clientId())
            && !InProcessSubscriptions.owns(session)) {
          continue; // [MQTT-3.8.3-3]
        }
        qos = qos == null || o.qos().value() > qos.value() ? o.qos() : qos; // [MQTT-3.3.4-2]
        retainAsPublished |= o.retainAsPublished();
        if (o.subscriptionId() > 0) {
          ids = Arrays.copyOf(ids, ids.length + 1); // one per matching subscription [MQTT-3.3.4-4]
          ids[ids.length - 1] = o.subscriptionId();
        }
      }
      if (qos == null) {
        continue;
      }
      Message delivered = message.withQos(Qos.min(message.qos(), qos)); // [MQTT-3.8.4-8]
      if (!retainAsPublished) {
        delivered = delivered.withRetain(false); // [MQTT-3.3.1-9] (3.1.1), [MQTT-3.3.1-12] (5.0)
      }
      queued.add(
          session.enqueue(QueuedMessage.direct(message, delivered).withSubscriptionIds(ids)));
      count++;
    }
    for (SharedGroup g : matches.groups()) {
      queued.add(g.offer(message));
      count++;
    }
    return collect(count, queued);
  }

  /** Completes once every queue took (or dropped) the message; one subscriber needs no allOf. */
  private static CompletableFuture<FanOut> collect(
      int matched, List<CompletableFuture<Boolean>> queued) {
    if (queued.isEmpty()) {
      return CompletableFuture.completedFuture(new FanOut(matched, 0));
    }
    if (queued.size() == 1) {
      return queued.get(0).thenApply(dropped -> new FanOut(matched, dropped ? 1 : 0));
    }
    return CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                new FanOut(matched, (int) queued.stream().filter(CompletableFuture::join).count()));
  }
}
