package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.persistence.RestoredSession;
import dev.mqttsidecar.broker.persistence.Storage;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.persistence.StoredSession;
import dev.mqttsidecar.broker.persistence.StoredSubscription;
import dev.mqttsidecar.broker.session.GroupLink;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.SharedGroup;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings persistent sessions, their subscriptions and queues, and shared groups' queues back from
 * the store at start, before the listener binds. Sessions that expired while the broker was down
 * (expiry counts in wall-clock time) are deleted instead; queues nobody owns any more are dropped.
 */
public final class SessionRestore {
  private static final Logger log = LoggerFactory.getLogger(SessionRestore.class);

  private final BrokerServices services;
  private final Storage storage;

  public SessionRestore(BrokerServices services, Storage storage) {
    this.services = services;
    this.storage = storage;
  }

  public void run() {
    Instant now = services.config().clock().instant();
    Map<String, List<StoredQueueEntry>> queues = new HashMap<>(storage.loadQueues());
    List<Session> restored = new ArrayList<>();
    int expired = 0;
    int messages = 0;
    int replays = 0;
    for (RestoredSession r : storage.loadSessions().values()) {
      StoredSession stored = r.session();
      List<StoredQueueEntry> queued = queues.remove(stored.key());
      if (stored.isExpired(now)) {
        storage.sessions().delete(stored.key());
        expired++;
        continue;
      }
      Session session = new Session(stored.key(), stored.clientId(), services.sessionContext());
      session.setExpiry(stored.expiry());
      services.sessions().open(stored.key(), false, k -> session);
      if (!InProcessSubscriptions.owns(session)) {
        services.sessions().restoredPersistent(stored.key());
      }
      List<Runnable> unfinishedReplays = new ArrayList<>();
      for (StoredSubscription sub : stored.subscriptions()) {
        resubscribe(session, sub, unfinishedReplays);
      }
      List<StoredQueueEntry> entries = queued == null ? List.of() : queued;
      messages += entries.size();
      session.restore(
          stored.disconnectedAt(),
          entries,
          r.inboundQos2(),
          r.inflight(),
          subscriptionIds(session));
      unfinishedReplays.forEach(Runnable::run); // behind the restored queue
      replays += unfinishedReplays.size();
      restored.add(session);
    }
    for (Session session : restored) {
      for (GroupLink link : session.groups().values()) {
        if (link instanceof SharedGroup group && queues.containsKey(group.queueId())) {
          List<StoredQueueEntry> entries = queues.remove(group.queueId());
          messages += entries.size();
          group.restore(entries);
        }
      }
    }
    queues.keySet().forEach(id -> storage.queues().drop(id));
    log.info(
        "restored {} sessions with {} queued messages and {} unfinished retained replays ({}"
            + " expired while down, {} orphan queues dropped)",
        restored.size(),
        messages,
        replays,
        expired,
        queues.size());
  }

  /**
   * The Subscription Identifiers of the session's (non-shared) subscriptions matching a topic: what
   * the message got when it was queued, as long as the subscriptions are the same [MQTT-3.3.4-3].
   */
  private Function<String, int[]> subscriptionIds(Session session) {
    Map<TopicFilter, Integer> withIds = new LinkedHashMap<>();
    session
        .subscriptions()
        .forEach(
            (raw, options) -> {
              if (options.subscriptionId() > 0) {
                TopicFilter filter = services.rules().parseFilter(raw);
                if (!filter.isShared()) {
                  withIds.put(filter, options.subscriptionId());
                }
              }
            });
    return topic ->
        withIds.entrySet().stream()
            .filter(e -> e.getKey().matches(topic))
            .mapToInt(Map.Entry::getValue)
            .toArray();
  }

  /**
   * Puts a stored subscription back into the index; adds to {@code unfinishedReplays} the start of
   * its retained replay if the broker stopped before it was done.
   */
  private void resubscribe(
      Session session, StoredSubscription sub, List<Runnable> unfinishedReplays) {
    try {
      TopicFilter filter = services.rules().parseFilter(sub.filter());
      SubscriptionOptions options =
          new SubscriptionOptions(
              sub.qos(),
              sub.noLocal(),
              sub.retainAsPublished(),
              sub.retainHandling(),
              sub.subscriptionId());
      services.subscriptions().restore(session, filter, options);
      if (sub.replayBefore() > 0) {
        unfinishedReplays.add(
            () ->
                services
                    .subscriptions()
                    .restartReplay(session, filter, options, sub.replayBefore()));
      }
    } catch (IllegalArgumentException e) {
      // The topic limits were lowered since: the filter is no longer valid here.
      log.warn("dropped stored subscription {} of {}: {}", sub.filter(), session, e.getMessage());
    }
  }
}
