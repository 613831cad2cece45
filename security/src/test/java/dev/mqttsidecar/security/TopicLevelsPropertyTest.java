package dev.mqttsidecar.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.subscription.TopicFilter;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Matching and covering against brute force, for every pair of filters of up to three levels over
 * every topic of up to four levels from a small alphabet, with the broker's own matcher as the
 * reference: a grant covers a request exactly when every topic the request matches, the grant
 * matches too. Filters have at most three levels and the topics use a name ({@code z}) no filter
 * does, so a difference between two filters always shows in a topic of the universe.
 */
class TopicLevelsPropertyTest {
  private static final List<String> FILTER_NAMES = List.of("a", "", "$s", "+", "#");
  private static final List<String> TOPIC_NAMES = List.of("a", "", "$s", "z");
  private static final List<String> TOPICS = topics();

  @Property(generation = GenerationMode.EXHAUSTIVE, tries = 30_000)
  void coversExactlyWhenEveryMatchedTopicIsGranted(
      @ForAll("filters") String grant, @ForAll("filters") String requested) {
    TopicFilter g = TopicRules.SPEC.parseFilter(grant);
    TopicFilter r = TopicRules.SPEC.parseFilter(requested);
    boolean bruteForce = TOPICS.stream().filter(r::matches).allMatch(g::matches);

    assertThat(TopicLevels.covers(TopicLevels.split(grant), TopicLevels.split(requested)))
        .as("%s covers %s", grant, requested)
        .isEqualTo(bruteForce);
  }

  @Property(generation = GenerationMode.EXHAUSTIVE, tries = 30_000)
  void matchesAsTheBrokerMatches(@ForAll("filters") String filter) {
    TopicFilter reference = TopicRules.SPEC.parseFilter(filter);
    String[] levels = TopicLevels.split(filter);
    for (String topic : TOPICS) {
      assertThat(TopicLevels.matches(levels, topic))
          .as("%s matches %s", filter, topic)
          .isEqualTo(reference.matches(topic));
    }
  }

  @Example
  void theUniverseReachesEveryShape() {
    // The property is only as good as its universe: deep topics, $-topics and empty levels occur.
    assertThat(TOPICS).contains("a/z/a/z", "$s/a", "a//z", "/", "z");
    assertThat(TOPICS).hasSize(4 + 16 + 64 + 256 - 1);
  }

  @Provide
  Arbitrary<String> filters() {
    return Arbitraries.of(FILTER_NAMES)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(levels -> String.join("/", levels))
        .filter(f -> TopicLevels.filterProblem(f) == null);
  }

  private static List<String> topics() {
    List<String> all = new ArrayList<>();
    List<String> previous = List.of("");
    for (int depth = 1; depth <= 4; depth++) {
      List<String> next = new ArrayList<>();
      for (String prefix : previous) {
        for (String name : TOPIC_NAMES) {
          next.add(depth == 1 ? name : prefix + "/" + name);
        }
      }
      all.addAll(next);
      previous = next;
    }
    all.remove(""); // a topic name is never empty [MQTT-4.7.3-1]
    return List.copyOf(all);
  }
}
