package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import dev.mqttsidecar.broker.persistence.StorageFailure;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Owns retained messages: versions, conditional multi-writes, and the ordering between a retained
 * write and its fan-out. Every write, from any ingress, runs under one short lock that covers the
 * in-memory apply, the version assignment, handing the batch to persistence and queueing the
 * fan-out; it never waits for storage, so a writer is never blocked on I/O. Serializing all writes
 * through the lock is what makes concurrent CAS on one key lose no update, and a multi-topic write
 * atomic.
 *
 * <p>Memory holds only an index of {@link RetainedHeader}s; messages are read from the persistence
 * (a bounded cache in front of the disk in a durable mode). A write the persistence fails is taken
 * back: the index returns to what is stored, unless a later write of the topic is on its way.
 */
public final class RetainedService implements RetainedStore {
  private static final int EXPIRED_REMOVED_AT_A_BOUND = 1_000;

  private final RetainedIndex index = new RetainedIndex();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final RetainedPersistence persistence;
  private final TopicRules rules;
  private final int maxPayload;
  private final Clock clock;
  private final Function<Message, CompletableFuture<?>> fanOut;
  private final RetainedQuota quota;
  private volatile long lastVersion; // written under writeLock
  // Topic -> version of its latest write not yet durable; guarded by writeLock.
  private final Map<String, Long> pendingVersions = new HashMap<>();
  private volatile long expiredRemoved; // written under writeLock

  /** A service without bounds on the number or bytes of retained messages. */
  public RetainedService(
      RetainedPersistence persistence,
      TopicRules rules,
      int maxPayload,
      Clock clock,
      Function<Message, CompletableFuture<?>> fanOut) {
    this(persistence, rules, maxPayload, clock, fanOut, RetainedQuota.unlimited());
  }

  /**
   * @param fanOut delivers a message to live subscribers; completes once it is queued
   * @param quota the bounds writes must fit
   */
  public RetainedService(
      RetainedPersistence persistence,
      TopicRules rules,
      int maxPayload,
      Clock clock,
      Function<Message, CompletableFuture<?>> fanOut,
      RetainedQuota quota) {
    this.quota = quota;
    this.persistence = persistence;
    this.rules = rules;
    this.maxPayload = maxPayload;
    this.clock = clock;
    this.fanOut = fanOut;
  }

  /**
   * Loads the stored headers and continues the version counter after the highest version the store
   * ever handed out. Call before the broker accepts traffic.
   */
  public void restore() {
    writeLock.lock();
    try {
      persistence.loadHeaders(
          h -> {
            index.put(h);
            lastVersion = Math.max(lastVersion, h.version());
          });
      lastVersion = Math.max(lastVersion, persistence.versionHighWater());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * The outcome of a publish with the RETAIN flag: the fan-out's result and storage completion.
   *
   * @param delivered the fan-out's result, or null when the message was refused as a whole
   * @param stored completes when the message is durable (at once when it was not stored)
   * @param refusal why the message was not stored (a retained quota), or null
   * @param <T> what the fan-out reports
   */
  public record PublishOutcome<T>(
      CompletableFuture<T> delivered, CompletableFuture<Void> stored, String refusal) {}

  /**
   * Stores (or, with an empty payload, clears [MQTT-3.3.1-10]) a retained message published through
   * {@code Broker.publish} and runs its {@code fanOut}, atomically with respect to other retained
   * writes. A message that would pass a retained quota is not stored; {@code overQuota} says
   * whether it is still delivered.
   */
  public <T> PublishOutcome<T> publishRetained(
      Message message, RetainedOverQuota overQuota, Supplier<CompletableFuture<T>> fanOut) {
    writeLock.lock();
    try {
      RetainedWrite write =
          message.payloadSize() == 0
              ? RetainedWrite.delete(message.topic(), RetainedWrite.ANY_VERSION)
              : RetainedWrite.set(message, RetainedWrite.ANY_VERSION);
      String refusal = quotaProblem(List.of(write));
      if (refusal != null) {
        quota.refused(message.topic(), refusal);
        CompletableFuture<T> delivered =
            overQuota == RetainedOverQuota.REFUSE ? null : fanOut.get();
        return new PublishOutcome<>(delivered, CompletableFuture.completedFuture(null), refusal);
      }
      long version = ++lastVersion;
      RetainedPersistence.Change change;
      if (write.replacement() == null) {
        index.remove(message.topic());
        change = new RetainedPersistence.Change(message.topic(), null);
      } else {
        RetainedMessage stored = new RetainedMessage(write.replacement(), version);
        index.put(RetainedHeader.of(stored));
        change = new RetainedPersistence.Change(message.topic(), stored);
      }
      CompletableFuture<Void> durable = persist(List.of(change), new long[] {version});
      return new PublishOutcome<>(fanOut.get(), durable, null);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public Optional<RetainedMessage> get(String topic) {
    RetainedHeader h = index.get(topic);
    Instant now = clock.instant();
    return h == null || h.isExpired(now) ? Optional.empty() : read(topic, now);
  }

  @Override
  public List<RetainedMessage> list(String topicPrefix) {
    Instant now = clock.instant();
    return read(index.withPrefix(topicPrefix, now), now);
  }

  @Override
  public List<String> topics(String topicPrefix) {
    return index.withPrefix(topicPrefix, clock.instant()).stream()
        .map(RetainedHeader::topic)
        .toList();
  }

  @Override
  public List<String> topics(String topicPrefix, String after, int limit) {
    return index.pageWithPrefix(topicPrefix, after, limit, clock.instant());
  }

  /**
   * Unexpired retained messages matching a subscription filter [MQTT-3.3.1-6], in no particular
   * order; the cost follows the number of matches, not of retained topics.
   */
  public List<RetainedMessage> matching(TopicFilter filter) {
    Instant now = clock.instant();
    return read(index.matching(filter, now), now);
  }

  /**
   * The retained messages matching a subscription filter [MQTT-3.3.1-6], to be read a batch at a
   * time (see {@link RetainedReplay}). Call once the subscription is in the subscription index:
   * what is written from now on reaches it as a live message and is left out of the replay.
   */
  public RetainedReplay replay(TopicFilter filter) {
    return replay(filter, lastVersion);
  }

  /**
   * A replay of a subscription made before a restart, left unfinished: the messages it matches up
   * to {@code versionBound} ({@link RetainedReplay#versionBound} of the first one).
   */
  public RetainedReplay replay(TopicFilter filter, long versionBound) {
    return new RetainedReplay(index.matches(filter), persistence, clock, versionBound);
  }

  /**
   * The stored message; it may be newer than the header that led here (a concurrent write), or gone
   * (a concurrent delete).
   */
  private Optional<RetainedMessage> read(String topic, Instant now) {
    return persistence.read(topic).filter(m -> !m.message().isExpired(now));
  }

  private List<RetainedMessage> read(List<RetainedHeader> headers, Instant now) {
    List<RetainedMessage> out = new ArrayList<>(headers.size());
    for (RetainedHeader h : headers) {
      read(h.topic(), now).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public long size() {
    return index.size();
  }

  /** The sum of the retained messages' sizes, as the retained bytes quota counts them. */
  public long bytes() {
    return index.bytes();
  }

  /** The retained quota, which counts the writes it refused. */
  public RetainedQuota quota() {
    return quota;
  }

  /**
   * Removes up to {@code max} expired messages from the index and the store [MQTT-3.3.2-5]: nobody
   * can read them any more, and they should not hold memory and disk until overwritten. Nothing is
   * delivered for them. Holds the write lock for one bounded batch.
   *
   * @return how many were removed; {@code max} means more may be due
   */
  public int removeExpired(int max) {
    writeLock.lock();
    try {
      List<String> topics = index.expired(clock.instant(), max);
      if (topics.isEmpty()) {
        return 0;
      }
      List<RetainedPersistence.Change> batch = new ArrayList<>(topics.size());
      long[] versions = new long[topics.size()];
      for (int i = 0; i < topics.size(); i++) {
        String topic = topics.get(i);
        index.remove(topic);
        versions[i] = ++lastVersion;
        batch.add(new RetainedPersistence.Change(topic, null));
      }
      persist(batch, versions);
      expiredRemoved += topics.size();
      return topics.size();
    } finally {
      writeLock.unlock();
    }
  }

  /** How many expired messages {@link #removeExpired} has removed. */
  public long expiredRemoved() {
    return expiredRemoved;
  }

  @Override
  public CompletableFuture<RetainedWriteResult> write(List<RetainedWrite> writes) {
    for (RetainedWrite w : writes) {
      String problem = rules.nameProblem(w.topic());
      if (problem == null
          && w.replacement() != null
          && w.replacement().payloadSize() > maxPayload) {
        problem = "payload larger than " + maxPayload + " bytes";
      }
      if (problem != null) {
        return CompletableFuture.completedFuture(
            new RetainedWriteResult(
                RetainedWriteResult.Status.INVALID, -1, List.of(), w.topic() + ": " + problem));
      }
    }
    writeLock.lock();
    try {
      // Before the version checks: the expired messages it may remove take versions, and the
      // checks count an expired message as absent anyway. A conflict is still reported first.
      String refusal = quotaProblem(writes);
      Instant now = clock.instant();
      // Overlay of this batch's effects, so a later write sees an earlier one [in order].
      Map<String, Long> current = new HashMap<>();
      for (int i = 0; i < writes.size(); i++) {
        RetainedWrite w = writes.get(i);
        long have = current.computeIfAbsent(w.topic(), t -> currentVersion(t, now));
        long expected = w.expectedVersion();
        if (expected != RetainedWrite.ANY_VERSION && expected != have) {
          return CompletableFuture.completedFuture(
              new RetainedWriteResult(
                  RetainedWriteResult.Status.CONFLICT,
                  i,
                  List.of(),
                  "version of " + w.topic() + " is " + have));
        }
        current.put(w.topic(), w.replacement() == null ? 0L : lastVersion + i + 1);
      }
      if (refusal != null) {
        quota.refused(writes.get(0).topic(), refusal);
        return CompletableFuture.completedFuture(
            new RetainedWriteResult(
                RetainedWriteResult.Status.QUOTA_EXCEEDED, -1, List.of(), refusal));
      }
      List<Long> versions = new ArrayList<>(writes.size());
      long[] used = new long[writes.size()];
      List<RetainedPersistence.Change> batch = new ArrayList<>(writes.size());
      Map<String, Message> finalValues = new LinkedHashMap<>();
      for (int i = 0; i < writes.size(); i++) {
        RetainedWrite w = writes.get(i);
        long version = ++lastVersion;
        used[i] = version;
        if (w.replacement() == null) {
          index.remove(w.topic());
          versions.add(0L);
          batch.add(new RetainedPersistence.Change(w.topic(), null));
          finalValues.put(w.topic(), Message.of(w.topic(), new byte[0], Qos.AT_LEAST_ONCE, true));
        } else {
          RetainedMessage m = new RetainedMessage(w.replacement().withRetain(true), version);
          index.put(RetainedHeader.of(m));
          versions.add(version);
          batch.add(new RetainedPersistence.Change(w.topic(), m));
          finalValues.put(w.topic(), m.message());
        }
      }
      CompletableFuture<Void> durable = persist(batch, used);
      List<CompletableFuture<?>> fanned = new ArrayList<>();
      finalValues.values().forEach(m -> fanned.add(fanOut.apply(m)));
      return durable
          .thenCompose(v -> CompletableFuture.allOf(fanned.toArray(CompletableFuture[]::new)))
          .handle(
              (v, err) ->
                  err == null
                      ? new RetainedWriteResult(
                          RetainedWriteResult.Status.APPLIED, -1, versions, "")
                      : storageFailure(err));
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Why {@code writes} would pass a retained quota, or null. Expired messages count until they are
   * removed; at a bound they are removed first, so they never stand in a live write's way. Call
   * under the write lock.
   */
  private String quotaProblem(List<RetainedWrite> writes) {
    String why = quota.check(index, writes);
    if (why != null && removeExpired(EXPIRED_REMOVED_AT_A_BOUND) > 0) {
      why = quota.check(index, writes);
    }
    return why;
  }

  private static RetainedWriteResult storageFailure(Throwable err) {
    StorageFailure failure = StorageFailure.of(err);
    RetainedWriteResult.Status status =
        failure.overloaded()
            ? RetainedWriteResult.Status.STORAGE_BUSY
            : RetainedWriteResult.Status.STORAGE_FAILED;
    return new RetainedWriteResult(status, -1, List.of(), failure.message());
  }

  /** 0 when absent or expired (an expired message counts as absent). */
  private long currentVersion(String topic, Instant now) {
    RetainedHeader h = index.get(topic);
    return h == null || h.isExpired(now) ? 0L : h.version();
  }

  /**
   * Hands a batch already applied to the index to the persistence; {@code versions[i]} is the
   * version {@code batch.get(i)} used. Call under the write lock.
   */
  private CompletableFuture<Void> persist(List<RetainedPersistence.Change> batch, long[] versions) {
    for (int i = 0; i < versions.length; i++) {
      pendingVersions.put(batch.get(i).topic(), versions[i]);
    }
    return persistence
        .write(batch)
        .whenComplete((ok, failure) -> settle(batch, versions, failure != null));
  }

  /**
   * A batch is durable or failed. A failed change whose topic saw no later write takes the index
   * back to what the store holds, so nobody reads a value that was never stored.
   */
  private void settle(List<RetainedPersistence.Change> batch, long[] versions, boolean failed) {
    writeLock.lock();
    try {
      for (int i = 0; i < versions.length; i++) {
        String topic = batch.get(i).topic();
        if (pendingVersions.remove(topic, versions[i]) && failed) {
          persistence
              .read(topic)
              .ifPresentOrElse(m -> index.put(RetainedHeader.of(m)), () -> index.remove(topic));
        }
      }
    } finally {
      writeLock.unlock();
    }
  }
}
