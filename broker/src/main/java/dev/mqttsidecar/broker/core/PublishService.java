package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.persistence.StorageFailure;
import dev.mqttsidecar.broker.retained.RetainedOverQuota;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The one path every message takes, whatever its ingress: validate, store if retained, match, and
 * queue for each matching session or shared group.
 */
public final class PublishService {
  private final MessageRouter router;
  private final RetainedService retained;
  private final TopicRules rules;
  private final int maxPayload;
  private final Clock clock;
  private final BooleanSupplier running;

  public PublishService(
      MessageRouter router,
      RetainedService retained,
      TopicRules rules,
      int maxPayload,
      Clock clock,
      BooleanSupplier running) {
    this.router = router;
    this.retained = retained;
    this.rules = rules;
    this.maxPayload = maxPayload;
    this.clock = clock;
    this.running = running;
  }

  /**
   * Publishes a message from a publisher that cannot be told it was not retained: over a retained
   * quota it is delivered without being stored.
   *
   * @param originClientId the publishing MQTT client (for No Local), or null
   */
  public CompletableFuture<PublishResult> publish(Message message, String originClientId) {
    return publish(message, originClientId, RetainedOverQuota.DELIVER_WITHOUT_RETAINING);
  }

  /**
   * Publishes a message.
   *
   * @param originClientId the publishing MQTT client (for No Local), or null
   * @param overQuota what a retained message that would pass a retained quota does
   */
  public CompletableFuture<PublishResult> publish(
      Message message, String originClientId, RetainedOverQuota overQuota) {
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
          retained.publishRetained(message, overQuota, () -> router.route(message, originClientId));
      if (out.delivered() == null) {
        return done(PublishResult.rejected(PublishResult.Status.QUOTA_EXCEEDED, out.refusal()));
      }
      delivered = out.stored().thenCombine(out.delivered(), (v, f) -> f);
    } else {
      delivered = router.route(message, originClientId);
    }
    if (delivered.isDone() && !delivered.isCompletedExceptionally()) {
      return done(result(delivered.join())); // queued at once: no callback to chain
    }
    return delivered.handle((f, e) -> e == null ? result(f) : storageFailure(e));
  }

  /**
   * A write the store refused for overload is reported as a quota (the client may retry soon); any
   * other storage failure as an error. Neither is ever acknowledged as accepted.
   */
  public static PublishResult storageFailure(Throwable e) {
    StorageFailure failure = StorageFailure.of(e);
    return PublishResult.rejected(
        failure.overloaded()
            ? PublishResult.Status.QUOTA_EXCEEDED
            : PublishResult.Status.STORAGE_FAILED,
        failure.message());
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

  private static CompletableFuture<PublishResult> done(PublishResult r) {
    return CompletableFuture.completedFuture(r);
  }
}
