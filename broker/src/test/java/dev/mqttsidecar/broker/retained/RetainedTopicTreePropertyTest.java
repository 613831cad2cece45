package dev.mqttsidecar.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The tree against brute force: after random puts and removes, a filter matches exactly the live
 * topics {@link TopicFilter#matches} accepts, a prefix exactly those starting with it. Few, short
 * level names make topics share branches, and empty and {@code $} levels come up often.
 */
class RetainedTopicTreePropertyTest {
  private static final List<String> NAMES = List.of("a", "b", "", "$s", "ab");

  @Property(tries = 500)
  void matchesWhatBruteForceMatches(
      @ForAll("operations") List<Operation> operations, @ForAll("filters") List<String> filters) {
    RetainedTopicTree tree = new RetainedTopicTree();
    Set<String> live = apply(tree, operations);

    for (String f : filters) {
      TopicFilter filter = TopicRules.SPEC.parseFilter(f);
      List<String> got = new ArrayList<>();
      tree.forEachMatch(filter.levels(), h -> got.add(h.topic()));
      List<String> expected = live.stream().filter(filter::matches).toList();
      assertThat(got).as("filter %s", f).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(tree.size()).isEqualTo(live.size());
    for (Operation op : operations) {
      assertThat(tree.get(op.topic()) != null).isEqualTo(live.contains(op.topic()));
    }
  }

  @Property(tries = 500)
  void listsWhatStartsWithThePrefix(
      @ForAll("operations") List<Operation> operations, @ForAll("prefixes") List<String> prefixes) {
    RetainedTopicTree tree = new RetainedTopicTree();
    Set<String> live = apply(tree, operations);

    for (String prefix : prefixes) {
      List<String> got = new ArrayList<>();
      tree.forEachWithPrefix(prefix, h -> got.add(h.topic()));
      List<String> expected = live.stream().filter(t -> t.startsWith(prefix)).toList();
      assertThat(got).as("prefix '%s'", prefix).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** A put (or a remove) of a topic. */
  record Operation(String topic, boolean put) {}

  private static Set<String> apply(RetainedTopicTree tree, List<Operation> operations) {
    Set<String> live = new HashSet<>();
    for (Operation op : operations) {
      if (op.put()) {
        tree.put(new RetainedHeader(op.topic(), 1, Qos.AT_MOST_ONCE, null, 1));
        live.add(op.topic());
      } else {
        tree.remove(op.topic());
        live.remove(op.topic());
      }
    }
    return live;
  }

  @Provide
  Arbitrary<List<Operation>> operations() {
    Arbitrary<Boolean> put = Arbitraries.integers().between(0, 3).map(i -> i > 0);
    return Combinators.combine(topics(), put).as(Operation::new).list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<String>> filters() {
    Arbitrary<String> level = Arbitraries.of("a", "b", "", "$s", "ab", "+", "+");
    Arbitrary<List<String>> levels = level.list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<Boolean> hash = Arbitraries.of(false, true);
    return Combinators.combine(levels, hash)
        .as(
            (ls, withHash) -> {
              List<String> all = new ArrayList<>(ls);
              if (withHash) {
                all.add("#");
              }
              return String.join("/", all);
            })
        .filter(f -> !f.isEmpty())
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<String>> prefixes() {
    Arbitrary<String> chopped =
        topics().flatMap(t -> Arbitraries.integers().between(0, t.length()).map(t::substring));
    return chopped.list().ofMinSize(1).ofMaxSize(8);
  }

  private static Arbitrary<String> topics() {
    return Arbitraries.of(NAMES)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(levels -> String.join("/", levels))
        .filter(t -> !t.isEmpty());
  }
}
