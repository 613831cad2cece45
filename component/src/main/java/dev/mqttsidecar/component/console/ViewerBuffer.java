package dev.mqttsidecar.component.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages waiting for one browser. Bounded: when the browser reads slower than messages
 * arrive, the oldest are dropped and counted, so a slow viewer costs a fixed amount of memory and
 * never slows the broker down.
 */
public final class ViewerBuffer<T> {
  private final int capacity;
  private final ArrayDeque<T> items;
  private long dropped;
  private long received;

  /** What a read returns: the items in arrival order and how many were dropped before them. */
  public record Batch<T>(List<T> items, long dropped) {}

  public ViewerBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.items = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  /** Adds an item, dropping the oldest when full; returns whether the buffer was empty before. */
  public synchronized boolean add(T item) {
    boolean wasEmpty = items.isEmpty();
    received++;
    if (items.size() == capacity) {
      items.pollFirst();
      dropped++;
    }
    items.addLast(item);
    return wasEmpty;
  }

  /** Takes up to {@code max} items and the drop count since the previous take. */
  public synchronized Batch<T> take(int max) {
    List<T> out = new ArrayList<>(Math.min(max, items.size()));
    while (out.size() < max && !items.isEmpty()) {
      out.add(items.pollFirst());
    }
    long d = dropped;
    dropped = 0;
    return new Batch<>(out, d);
  }

  public synchronized int size() {
    return items.size();
  }

  /** How many items were ever added, kept or dropped. */
  public synchronized long received() {
    return received;
  }
}
