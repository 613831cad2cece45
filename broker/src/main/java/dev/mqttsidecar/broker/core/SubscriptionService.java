package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.retained.RetainedReplay;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.session.DeliveryOptions;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.SubscriptionIndex;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import dev.mqttsidecar.broker.subscription.TopicRules;

/** Adds and removes subscriptions of any session, and sends retained messages on subscribe. */
public final class SubscriptionService {
  private final SubscriptionIndex index;
  private final RetainedService retained;

  public SubscriptionService(SubscriptionIndex index, RetainedService retained) {
    this.index = index;
    this.retained = retained;
  }

  /**
   * Subscribes; the session stores its record again.
   *
   * @return true if the subscription is new
   */
  public boolean subscribe(Session session, TopicFilter filter, SubscriptionOptions options) {
    boolean isNew = index.subscribe(session, filter, options);
    session.subscriptionsChanged();
    return isNew;
  }

  /**
   * Sends the retained messages a subscription gets per its retain handling option [MQTT-3.3.1-6],
   * [MQTT-3.3.1-9..11]; shared subscriptions get none [MQTT-4.8.2]. They are read and queued a
   * batch at a time as the session takes them ({@link Session#replay}), so any number of matches
   * fits in bounded memory and none is dropped for a full queue. The replay stays in the session
   * record until it is done, so an acknowledged subscription gets them even if the broker stops
   * first; {@code held} keeps it from sending until {@link Session#releaseReplays}. A new
   * subscription of the same filter stops the replay an earlier one started. Call after {@link
   * #subscribe}.
   *
   * @return whether a replay started
   */
  public boolean sendRetained(
      Session session,
      TopicFilter filter,
      SubscriptionOptions options,
      boolean isNew,
      boolean held) {
    if (filter.isShared()) {
      return false;
    }
    if (options.retainHandling() == 0 || (options.retainHandling() == 1 && isNew)) {
      replay(session, filter, options, retained.replay(filter), held);
      return true;
    }
    session.stopReplay(filter.raw());
    return false;
  }

  /**
   * Starts again, after a restart, a replay whose subscription was restored unfinished (see {@link
   * dev.mqttsidecar.broker.persistence.StoredSubscription#replayBefore}).
   */
  public void restartReplay(
      Session session, TopicFilter filter, SubscriptionOptions options, long versionBound) {
    replay(session, filter, options, retained.replay(filter, versionBound), false);
  }

  private static void replay(
      Session session,
      TopicFilter filter,
      SubscriptionOptions options,
      RetainedReplay replay,
      boolean held) {
    DeliveryOptions delivery = DeliveryOptions.of(options);
    // Version 0 precedes every retained message: nothing to send again after a restart.
    session.replay(
        filter.raw(),
        (maxCount, maxBytes, out) ->
            replay.next(maxCount, maxBytes, rm -> out.accept(delivery.queueRetained(rm.message()))),
        replay.versionBound(),
        held);
  }

  public boolean unsubscribe(Session session, TopicFilter filter) {
    session.stopReplay(filter.raw());
    boolean removed = index.unsubscribe(session, filter);
    session.subscriptionsChanged();
    return removed;
  }

  /** Puts a stored subscription back at start: into the index only, no retained messages. */
  public void restore(Session session, TopicFilter filter, SubscriptionOptions options) {
    index.subscribe(session, filter, options);
  }

  /** See {@link SubscriptionIndex#hasFiltersUnder}. */
  public boolean hasFiltersUnder(String firstLevel) {
    return index.hasFiltersUnder(firstLevel);
  }

  /** Drops every subscription of an ended session. */
  public void removeAll(Session session) {
    index.removeAll(session, TopicRules.SPEC);
  }
}
