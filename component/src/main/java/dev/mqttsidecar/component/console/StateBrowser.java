package dev.mqttsidecar.component.console;

import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.state.Precondition;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateError;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StateOp;
import dev.mqttsidecar.state.StateTopics;
import dev.mqttsidecar.state.StoreConfig;
import dev.mqttsidecar.state.WriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The keys of a Dapr state store, a page at a time, and edits with Dapr's own ETag rules: a write
 * goes through {@link RetainedStateStore} exactly as a Dapr Set or Delete does, so a concurrent
 * change is a conflict and not a lost update.
 */
public final class StateBrowser {
  private final RetainedStore retained;
  private final Clock clock;
  private final int maxValueBytesShown;

  /** One key: {@code etag} is what a conditional edit sends back. */
  public record Entry(
      String key, String etag, String value, int size, String contentType, String expiresAt) {}

  /** The outcome of an edit: the new ETag ("" after a delete). */
  public record Written(String key, String etag) {}

  public StateBrowser(RetainedStore retained, Clock clock, int maxValueBytesShown) {
    this.retained = retained;
    this.clock = clock;
    this.maxValueBytesShown = maxValueBytesShown;
  }

  /**
   * The keys of store instance {@code store} (its default topic prefix, {@code
   * $dapr/state/<store>/}) that start with {@code keyPrefix}, one page; {@code after} is a key.
   */
  public PageRequest.Page<Entry> page(String store, String keyPrefix, PageRequest request) {
    RetainedStateStore state = open(store);
    StateTopics topics = new StateTopics(state.config().topicPrefix());
    String afterTopic = request.after().isEmpty() ? "" : topicOf(topics, request.after());
    List<String> page = retained.topics(topicOf(topics, keyPrefix), afterTopic, request.limit());
    List<Entry> items = new ArrayList<>(page.size());
    for (String topic : page) {
      // Topics an MQTT client wrote under the prefix that are no key's canonical form are skipped.
      topics.keyOf(topic).flatMap(state::get).ifPresent(e -> items.add(entry(e)));
    }
    String next =
        page.size() < request.limit() ? null : topics.keyOf(page.get(page.size() - 1)).orElse(null);
    return new PageRequest.Page<>(items, next);
  }

  /** The retained topic of {@code key} (or of a key prefix) in store instance {@code store}. */
  public String topicOf(String store, String key) {
    return topicOf(new StateTopics(open(store).config().topicPrefix()), key);
  }

  /** Sets a key; a non-empty {@code etag} must match its current one. */
  public CompletableFuture<Written> set(
      String store, String key, byte[] value, String contentType, Duration ttl, String etag) {
    RetainedStateStore state = open(store);
    StateOp op =
        new StateOp.Put(key, value, contentType, Optional.ofNullable(ttl), precondition(key, etag));
    return state.apply(List.of(op)).thenApply(o -> new Written(key, applied(o).etags().get(0)));
  }

  /** Deletes a key; a non-empty {@code etag} must match its current one. */
  public CompletableFuture<Written> delete(String store, String key, String etag) {
    RetainedStateStore state = open(store);
    StateOp op = new StateOp.Remove(key, precondition(key, etag));
    return state.apply(List.of(op)).thenApply(o -> new Written(key, applied(o).etags().get(0)));
  }

  private RetainedStateStore open(String store) {
    if (store == null || store.isEmpty()) {
      throw new BadRequest("store (the state store's component name) is required");
    }
    return new RetainedStateStore(retained, StoreConfig.defaults(store), clock);
  }

  private static String topicOf(StateTopics topics, String key) {
    try {
      return topics.topicOf(key);
    } catch (StateException e) {
      throw new BadRequest(e.error().message());
    }
  }

  private static Precondition precondition(String key, String etag) {
    try {
      return Precondition.of(key, etag, false);
    } catch (StateException e) {
      throw new BadRequest(e.error().message());
    }
  }

  private static WriteOutcome.Applied applied(WriteOutcome outcome) {
    if (outcome instanceof WriteOutcome.Failed f) {
      throw new StateRefused(f.error());
    }
    return (WriteOutcome.Applied) outcome;
  }

  private Entry entry(StateEntry e) {
    byte[] value = e.value();
    byte[] shown =
        value.length <= maxValueBytesShown ? value : Arrays.copyOf(value, maxValueBytesShown);
    return new Entry(
        e.key(),
        e.etag(),
        Base64.getEncoder().encodeToString(shown),
        value.length,
        e.contentType(),
        e.expiresAt() == null ? null : e.expiresAt().toString());
  }

  /** A state write the store refused (ETag conflict, bad value, quota); nothing was changed. */
  public static final class StateRefused extends RuntimeException {
    private final StateError error;

    StateRefused(StateError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public StateError error() {
      return error;
    }
  }
}
