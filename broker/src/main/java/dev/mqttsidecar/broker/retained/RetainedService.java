package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
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
 */
public final class RetainedService implements RetainedStore {

  private final RetainedIndex index = new RetainedIndex();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final RetainedPersistence persistence;
  private final TopicRules rules;
  private final int maxPayload;
  private final Clock clock;
  private final Function<Message, CompletableFuture<?>> fanOut;
  private long lastVersion;

  /**
   * @param fanOut delivers a message to live subscribers; completes once it is queued
   */
  public RetainedService(
      RetainedPersistence persistence,
      TopicRules rules,
      int maxPayload,
      Clock clock,
      Function<Message, CompletableFuture<?>> fanOut) {
    this.persistence = persistence;
    this.rules = rules;
    this.maxPayload = maxPayload;
    this.clock = clock;
    this.fanOut = fanOut;
  }

  /** Loads stored messages; call before the broker accepts traffic. */
  public void restore() {
    restore(0L);
  }

  /**
   * Loads stored messages and continues the version counter after {@code versionHighWater}, the
   * highest version the store ever handed out: a delete stores no message but uses a version, so
   * the loaded messages alone could let an ETag repeat after a restart. Call before the broker
   * accepts traffic.
   */
  public void restore(long versionHighWater) {
    writeLock.lock();
    try {
      for (RetainedMessage m : persistence.loadAll()) {
        index.put(m);
        lastVersion = Math.max(lastVersion, m.version());
      }
      lastVersion = Math.max(lastVersion, versionHighWater);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * The outcome of a publish with the RETAIN flag: the fan-out's result and storage completion.
   *
   * @param <T> what the fan-out reports
   */
  public record PublishOutcome<T>(CompletableFuture<T> delivered, CompletableFuture<Void> stored) {}

  /**
   * Stores (or, with an empty payload, clears [MQTT-3.3.1-10]) a retained message published through
   * {@code Broker.publish} and runs its {@code fanOut}, atomically with respect to other retained
   * writes.
   */
  public <T> PublishOutcome<T> publishRetained(
      Message message, Supplier<CompletableFuture<T>> fanOut) {
    writeLock.lock();
    try {
      RetainedPersistence.Change change;
      if (message.payloadSize() == 0) {
        index.remove(message.topic());
        lastVersion++;
        change = new RetainedPersistence.Change(message.topic(), null);
      } else {
        RetainedMessage stored = new RetainedMessage(message.withRetain(true), ++lastVersion);
        index.put(stored);
        change = new RetainedPersistence.Change(message.topic(), stored);
      }
      CompletableFuture<Void> durable = persistence.write(List.of(change));
      return new PublishOutcome<>(fanOut.get(), durable);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public Optional<RetainedMessage> get(String topic) {
    RetainedMessage m = index.get(topic);
    return m == null || m.message().isExpired(clock.instant()) ? Optional.empty() : Optional.of(m);
  }

  @Override
  public List<RetainedMessage> list(String topicPrefix) {
    return index.withPrefix(topicPrefix, clock.instant());
  }

  /** Unexpired retained messages matching a subscription filter [MQTT-3.3.1-6]. */
  public List<RetainedMessage> matching(TopicFilter filter) {
    return index.matching(filter, clock.instant());
  }

  @Override
  public long size() {
    return index.size();
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
      List<Long> versions = new ArrayList<>(writes.size());
      List<RetainedPersistence.Change> batch = new ArrayList<>(writes.size());
      Map<String, Message> finalValues = new LinkedHashMap<>();
      for (RetainedWrite w : writes) {
        long version = ++lastVersion;
        if (w.replacement() == null) {
          index.remove(w.topic());
          versions.add(0L);
          batch.add(new RetainedPersistence.Change(w.topic(), null));
          finalValues.put(w.topic(), Message.of(w.topic(), new byte[0], Qos.AT_LEAST_ONCE, true));
        } else {
          RetainedMessage m = new RetainedMessage(w.replacement().withRetain(true), version);
          index.put(m);
          versions.add(version);
          batch.add(new RetainedPersistence.Change(w.topic(), m));
          finalValues.put(w.topic(), m.message());
        }
      }
      CompletableFuture<Void> durable = persistence.write(batch);
      List<CompletableFuture<?>> fanned = new ArrayList<>();
      finalValues.values().forEach(m -> fanned.add(fanOut.apply(m)));
      return durable
          .thenCompose(v -> CompletableFuture.allOf(fanned.toArray(CompletableFuture[]::new)))
          .handle(
              (v, err) ->
                  err == null
                      ? new RetainedWriteResult(
                          RetainedWriteResult.Status.APPLIED, -1, versions, "")
                      : new RetainedWriteResult(
                          RetainedWriteResult.Status.STORAGE_FAILED,
                          -1,
                          List.of(),
                          String.valueOf(err)));
    } finally {
      writeLock.unlock();
    }
  }

  /** 0 when absent or expired (an expired message counts as absent). */
  private long currentVersion(String topic, Instant now) {
    RetainedMessage m = index.get(topic);
    return m == null || m.message().isExpired(now) ? 0L : m.version();
  }
}
