package dev.mqttsidecar.broker.retained;

import dev.mqttsidecar.broker.persistence.RetainedHeader;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Retained headers in a tree of topic levels, so a filter visits only the branches its levels
 * allow: a lookup costs the levels walked plus what it matches, not the number of topics. Empty
 * levels are levels like any other ({@code a//b}, {@code /a}).
 *
 * <p>Readers run lock-free alongside one writer at a time (the caller serializes writes). Children
 * live in concurrent maps and a node is linked into its parent only once complete, so a reader sees
 * each node either before or after a write, never half-built; a pruned node stays a valid, empty
 * node for a reader still holding it. Walks use an explicit stack, since a topic may have tens of
 * thousands of levels.
 */
final class RetainedTopicTree {
  private final Node root = new Node("", 0, 0);
  private volatile int size;

  /** The header stored for exactly {@code topic}, or null. */
  RetainedHeader get(String topic) {
    Node node = root;
    int start = 0;
    while (node != null) {
      int end = levelEnd(topic, start);
      node = node.child(new Level(topic, start, end));
      if (end == topic.length()) {
        return node == null ? null : node.header;
      }
      start = end + 1;
    }
    return null;
  }

  /** Stores or replaces the header of its topic. Writers only, one at a time. */
  void put(RetainedHeader h) {
    String topic = h.topic();
    Node node = root;
    int start = 0;
    while (true) {
      int end = levelEnd(topic, start);
      node = node.childOrNew(topic, start, end);
      if (end == topic.length()) {
        break;
      }
      start = end + 1;
    }
    if (node.header == null) {
      size++;
    }
    // A node made for this very topic already holds its name: keep one copy of the string.
    node.header =
        node.topic != topic && node.end == node.topic.length()
            ? new RetainedHeader(node.topic, h.version(), h.qos(), h.expiresAt(), h.size())
            : h;
  }

  /** Removes the header of {@code topic} and the nodes left empty. Writers only, one at a time. */
  void remove(String topic) {
    ArrayDeque<Node> path = new ArrayDeque<>();
    Node node = root;
    int start = 0;
    while (true) {
      path.push(node);
      int end = levelEnd(topic, start);
      node = node.child(new Level(topic, start, end));
      if (node == null) {
        return;
      }
      if (end == topic.length()) {
        break;
      }
      start = end + 1;
    }
    if (node.header == null) {
      return;
    }
    node.header = null;
    size--;
    // Unlink from the bottom up while a node holds neither a header nor children.
    while (node != root && node.header == null && node.isLeaf()) {
      Node parent = path.pop();
      parent.removeChild(node);
      node = parent;
    }
  }

  int size() {
    return size;
  }

  /**
   * Visits the headers of the topics a filter matches, in no particular order.
   *
   * @param levels the filter split at '/'; {@code +} matches one level, {@code #} (last) the rest
   */
  void forEachMatch(String[] levels, Consumer<RetainedHeader> visitor) {
    Matches matches = new Matches(levels);
    for (RetainedHeader h = matches.next(); h != null; h = matches.next()) {
      visitor.accept(h);
    }
  }

  /**
   * The headers a filter matches, one at a time, in no particular order, so that a walk can stop
   * and go on later: it holds one iterator per level it is in, never a list of matches. Writes made
   * while it walks may or may not be seen, as with {@link #forEachMatch}; a topic there all along
   * is seen once.
   */
  final class Matches {
    private final String[] levels;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private RetainedHeader found;

    /**
     * @param levels the filter split at '/'; {@code +} matches one level, {@code #} (last) the rest
     */
    Matches(String[] levels) {
      this.levels = levels;
      enter(root, 0);
    }

    /** The next match, or null once there is none. */
    RetainedHeader next() {
      while (found == null && !frames.isEmpty()) {
        Frame frame = frames.peek();
        if (!frame.children().hasNext()) {
          frames.pop();
          continue;
        }
        Node child = frame.children().next();
        if (frame.skipDollar() && child.startsWith("$")) {
          continue;
        }
        if (frame.everything()) {
          found = child.header;
          frames.push(new Frame(child, 0, true, false));
        } else {
          enter(child, frame.depth());
        }
      }
      RetainedHeader h = found;
      found = null;
      return h;
    }

    /** Goes into {@code node}, which matched the filter's first {@code depth} levels. */
    private void enter(Node node, int depth) {
      while (node != null) {
        if (depth == levels.length) {
          found = node.header;
          return;
        }
        String level = levels[depth];
        if (level.equals("#")) {
          found = node.header; // '#' also matches the parent level [MQTT-4.7.1-2]
          frames.push(new Frame(node, 0, true, depth == 0));
          return;
        }
        if (level.equals("+")) {
          frames.push(new Frame(node, depth + 1, false, depth == 0));
          return;
        }
        node = node.child(new Level(level, 0, level.length()));
        depth++;
      }
    }
  }

  /**
   * Children still to walk: those to match from {@code depth} on, or, when {@code everything}, all
   * of them and their descendants (under a '#'). {@code skipDollar} leaves out levels starting with
   * '$': a filter starting with a wildcard does not match such topics [MQTT-4.7.2-1].
   */
  private record Frame(Iterator<Node> children, int depth, boolean everything, boolean skipDollar) {
    Frame(Node node, int depth, boolean everything, boolean skipDollar) {
      this(childrenOf(node), depth, everything, skipDollar);
    }
  }

  private static Iterator<Node> childrenOf(Node node) {
    ConcurrentHashMap<Level, Node> map = node.children;
    return map == null ? Collections.emptyIterator() : map.values().iterator();
  }

  /**
   * Visits the headers of the topics that start with {@code prefix}, which may end inside a level,
   * in no particular order.
   */
  void forEachWithPrefix(String prefix, Consumer<RetainedHeader> visitor) {
    int lastSlash = prefix.lastIndexOf('/');
    Node node = root;
    int start = 0;
    while (start <= lastSlash) {
      int end = prefix.indexOf('/', start);
      node = node.child(new Level(prefix, start, end));
      if (node == null) {
        return;
      }
      start = end + 1;
    }
    String partial = prefix.substring(lastSlash + 1);
    ArrayDeque<Node> below = new ArrayDeque<>();
    forEachChild(
        node,
        false,
        child -> {
          if (child.startsWith(partial)) {
            below.push(child);
          }
        });
    visitAll(below, visitor);
  }

  /** Visits the headers of the nodes in {@code pending} and of all their descendants. */
  private static void visitAll(ArrayDeque<Node> pending, Consumer<RetainedHeader> visitor) {
    while (!pending.isEmpty()) {
      Node node = pending.pop();
      visit(node, visitor);
      forEachChild(node, false, pending::push);
    }
  }

  /**
   * @param skipDollar leave out levels starting with '$': a filter starting with a wildcard does
   *     not match such topics [MQTT-4.7.2-1]
   */
  private static void forEachChild(Node node, boolean skipDollar, Consumer<Node> action) {
    ConcurrentHashMap<Level, Node> children = node.children;
    if (children == null) {
      return;
    }
    for (Node child : children.values()) {
      if (!skipDollar || !child.startsWith("$")) {
        action.accept(child);
      }
    }
  }

  private static void visit(Node node, Consumer<RetainedHeader> visitor) {
    RetainedHeader h = node.header;
    if (h != null) {
      visitor.accept(h);
    }
  }

  private static int levelEnd(String topic, int start) {
    int slash = topic.indexOf('/', start);
    return slash < 0 ? topic.length() : slash;
  }

  /**
   * A topic level: the chars {@code [start, end)} of a string, equal to any level with the same
   * chars. Lookups use it to probe without copying the level out of the topic.
   */
  private static class Level {
    final String topic;
    final int start;
    final int end;

    Level(String topic, int start, int end) {
      this.topic = topic;
      this.start = start;
      this.end = end;
    }

    boolean startsWith(String prefix) {
      return end - start >= prefix.length()
          && topic.regionMatches(start, prefix, 0, prefix.length());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Level l
          && l.end - l.start == end - start
          && topic.regionMatches(start, l.topic, l.start, end - start);
    }

    @Override
    public int hashCode() {
      int h = 0;
      for (int i = start; i < end; i++) {
        h = 31 * h + topic.charAt(i);
      }
      return h;
    }
  }

  /**
   * A level in the tree; it is its own key in the parent's map. Its name is a range of the topic
   * that created it, usually the very string its header (or a descendant's) holds, so no level is
   * copied.
   */
  private static final class Node extends Level {
    // Null until the first child: most nodes are leaves.
    volatile ConcurrentHashMap<Level, Node> children;
    volatile RetainedHeader header;

    Node(String topic, int start, int end) {
      super(topic, start, end);
    }

    Node child(Level level) {
      ConcurrentHashMap<Level, Node> map = children;
      return map == null ? null : map.get(level);
    }

    Node childOrNew(String topic, int start, int end) {
      ConcurrentHashMap<Level, Node> map = children;
      if (map == null) {
        map = new ConcurrentHashMap<>(1);
        children = map;
      }
      Node child = map.get(new Level(topic, start, end));
      if (child == null) {
        child = new Node(topic, start, end);
        map.put(child, child);
      }
      return child;
    }

    void removeChild(Node child) {
      ConcurrentHashMap<Level, Node> map = children;
      map.remove(child, child);
      if (map.isEmpty()) {
        children = null;
      }
    }

    boolean isLeaf() {
      ConcurrentHashMap<Level, Node> map = children;
      return map == null || map.isEmpty();
    }
  }
}
