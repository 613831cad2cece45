package dev.mqttsidecar.component.console;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Retained messages a page at a time, and conditional edits of them. Only the page's payloads are
 * read, so the store may be far larger than the heap.
 */
public final class RetainedBrowser {
  private final RetainedStore store;
  private final int maxPayloadBytes;

  /** One retained message; {@code version} is its ETag for a conditional edit. */
  public record Entry(long version, MessageJson message) {}

  /** The outcome of an edit: the new version (0 after a delete). */
  public record Written(String topic, long version) {}

  public RetainedBrowser(RetainedStore store, int maxPayloadBytes) {
    this.store = store;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** The retained messages whose topic starts with {@code prefix}, one page. */
  public PageRequest.Page<Entry> page(String prefix, PageRequest request) {
    List<String> topics = store.topics(prefix, request.after(), request.limit());
    List<Entry> items = new ArrayList<>(topics.size());
    for (String topic : topics) {
      // A topic deleted or expired since it was listed is simply left out.
      store.get(topic).ifPresent(m -> items.add(entry(m)));
    }
    String next = topics.size() < request.limit() ? null : topics.get(topics.size() - 1);
    return new PageRequest.Page<>(items, next);
  }

  private Entry entry(RetainedMessage m) {
    return new Entry(m.version(), MessageJson.of(m.message(), null, maxPayloadBytes));
  }

  /**
   * Sets a retained message if the topic's version is still {@code expectedVersion} ({@link
   * RetainedWrite#ANY_VERSION} for no condition).
   */
  public CompletableFuture<Written> set(Message message, long expectedVersion) {
    return write(RetainedWrite.set(message, expectedVersion));
  }

  /** Deletes a retained message, on the same condition as {@link #set}. */
  public CompletableFuture<Written> delete(String topic, long expectedVersion) {
    return write(RetainedWrite.delete(topic, expectedVersion));
  }

  private CompletableFuture<Written> write(RetainedWrite write) {
    return store
        .write(List.of(write))
        .thenApply(
            r -> {
              if (!r.applied()) {
                throw new WriteRefused(r.status(), detail(write, r));
              }
              return new Written(write.topic(), r.versions().get(0));
            });
  }

  private static String detail(RetainedWrite write, RetainedWriteResult r) {
    if (r.status() == RetainedWriteResult.Status.CONFLICT) {
      return "topic '"
          + write.topic()
          + "' changed since version "
          + write.expectedVersion()
          + ": reload it and edit again";
    }
    return r.reason().isEmpty() ? r.status().name() : r.reason();
  }

  /** A write the store refused; nothing was changed. */
  public static final class WriteRefused extends RuntimeException {
    private final RetainedWriteResult.Status status;

    WriteRefused(RetainedWriteResult.Status status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public RetainedWriteResult.Status status() {
      return status;
    }
  }
}
