package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.rocksdb.StorageOverloadedException;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.SharedGroup;
import dev.mqttsidecar.broker.subscription.SubscriptionIndex;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The one path every message takes, whatever its ingress: validate, store if retained, match, and
 * queue for each matching session or shared group.
 */
public final class PublishService {
  private static final int[] NO_IDS = new int[0];
  private final SubscriptionIndex index;
  private final RetainedService retained;
  private final TopicRules rules;
  private final int maxPayload;
  private final Clock clock;
  private final BooleanSupplier running;

  public PublishService(
      SubscriptionIndex index,
      RetainedService retained,
      TopicRules rules,
      int maxPayload,
      Clock clock,
      BooleanSupplier running) {
    this.index = index;
    this.retained = retained;
    this.rules = rules;
    this.maxPayload = maxPayload;
    this.clock = clock;
    this.running = running;
  }

  /**
   * Publishes a message.
   *
   * @param originClientId the publishing MQTT client (for No Local), or null
   */
  public CompletableFuture<PublishResult> publish(Message message, String originClientId) {
    if (!running.getAsBoolean()) {
      return done(
          PublishResult.rejected(PublishResult.Status.UNAVAILABLE, "broker is not running"));
    }
    String problem = rules.nameProblem(message.topic());
    if (problem != null) {
      return done(PublishResult.rejected(PublishResult.Status.INVALID_TOPIC, problem));
    }
    if (message.payloadSize() > maxPayload) {
      return done(
          PublishResult.rejected(
              PublishResult.Status.TOO_LARGE, "payload larger than " + maxPayload));
    }
    if (message.expiresAt() != null && message.isExpired(clock.instant())) {
      return done(PublishResult.accepted(0));
    }
    CompletableFuture<FanOut> delivered;
    if (message.retain()) {
      RetainedService.PublishOutcome<FanOut> out =
          retained.publishRetained(message, () -> fanOut(message, originClientId));
      delivered = out.stored().thenCombine(out.delivered(), (v, f) -> f);
    } else {
      delivered = fanOut(message, originClientId);
    }
    return delivered.handle((f, e) -> e == null ? result(f) : storageFailure(e));
  }

  /**
   * A write the store refused for overload is reported as a quota (the client may retry soon); any
   * other storage failure as an error. Neither is ever acknowledged as accepted.
   */
  public static PublishResult storageFailure(Throwable e) {
    Throwable cause = StorageOverloadedException.unwrap(e);
    PublishResult.Status status =
        cause instanceof StorageOverloadedException
            ? PublishResult.Status.QUOTA_EXCEEDED
            : PublishResult.Status.STORAGE_FAILED;
    return PublishResult.rejected(status, String.valueOf(cause.getMessage()));
  }

  private static PublishResult result(FanOut f) {
    if (f.dropped() == 0) {
      return PublishResult.accepted(f.matched());
    }
    return new PublishResult(
        PublishResult.Status.QUOTA_EXCEEDED,
        f.matched(),
        "queue full: dropped for "
            + f.dropped()
            + " of "
            + f.matched()
            + " matching subscriptions");
  }

  /** Queues a message for every matching subscription; completes once it is queued everywhere. */
  public CompletableFuture<FanOut> fanOut(Message message, String originClientId) {
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
            && !session.key().startsWith(EmbeddedBroker.IN_PROCESS_PREFIX)) {
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

  private static CompletableFuture<PublishResult> done(PublishResult r) {
    return CompletableFuture.completedFuture(r);
  }
}
