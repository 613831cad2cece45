package dev.mqttsidecar.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RetainedTopicTreeTest {
  private final RetainedTopicTree tree = new RetainedTopicTree();

  @Test
  void getFindsOnlyTheExactTopic() {
    put("a/b/c", 1);

    assertThat(tree.get("a/b/c").version()).isEqualTo(1);
    assertThat(tree.get("a/b")).isNull();
    assertThat(tree.get("a/b/c/d")).isNull();
    assertThat(tree.get("a/b/")).isNull();
  }

  @Test
  void putReplacesAndCountsEachTopicOnce() {
    put("a/b", 1);
    put("a/b", 2);
    put("a", 3);

    assertThat(tree.get("a/b").version()).isEqualTo(2);
    assertThat(tree.size()).isEqualTo(2);
  }

  @Test
  void aReplacementKeepsTheTopicStringTheTreeAlreadyHolds() {
    String first = new String("a/b");
    tree.put(header(first, 1));
    tree.put(header(new String("a/b"), 2));

    assertThat(tree.get("a/b").version()).isEqualTo(2);
    assertThat(tree.get("a/b").topic()).isSameAs(first);
  }

  @Test
  void plusMatchesExactlyOneLevel() {
    putAll("a/b", "a/c", "a/b/c", "a", "b/b");

    assertThat(match("a/+")).containsExactlyInAnyOrder("a/b", "a/c");
    assertThat(match("+/b")).containsExactlyInAnyOrder("a/b", "b/b");
    assertThat(match("+/+/c")).containsExactly("a/b/c");
    assertThat(match("+")).containsExactly("a");
  }

  @Test
  void hashMatchesTheParentLevelAndEverythingBelow() {
    putAll("sport", "sport/tennis", "sport/tennis/player1", "sports", "other");

    // [MQTT-4.7.1-2]
    assertThat(match("sport/#"))
        .containsExactlyInAnyOrder("sport", "sport/tennis", "sport/tennis/player1");
    assertThat(match("sport/tennis/#"))
        .containsExactlyInAnyOrder("sport/tennis", "sport/tennis/player1");
    assertThat(match("+/#"))
        .containsExactlyInAnyOrder(
            "sport", "sport/tennis", "sport/tennis/player1", "sports", "other");
  }

  @Test
  void aLeadingWildcardSkipsDollarTopics() {
    putAll("$SYS/broker/uptime", "$SYS", "a/uptime", "x$/uptime");

    // [MQTT-4.7.2-1]
    assertThat(match("#")).containsExactlyInAnyOrder("a/uptime", "x$/uptime");
    assertThat(match("+/broker/uptime")).isEmpty();
    assertThat(match("+/uptime")).containsExactlyInAnyOrder("a/uptime", "x$/uptime");
    assertThat(match("$SYS/#")).containsExactlyInAnyOrder("$SYS", "$SYS/broker/uptime");
    assertThat(match("$SYS/+/uptime")).containsExactly("$SYS/broker/uptime");
  }

  @Test
  void emptyLevelsAreLevels() {
    putAll("a//b", "/a", "a/", "/", "a/b");

    assertThat(match("a/+/b")).containsExactly("a//b");
    assertThat(match("a//b")).containsExactly("a//b");
    assertThat(match("+/a")).containsExactly("/a");
    assertThat(match("/+")).containsExactlyInAnyOrder("/a", "/");
    assertThat(match("a/+")).containsExactlyInAnyOrder("a/", "a/b");
    assertThat(match("+/+")).containsExactlyInAnyOrder("/a", "a/", "/", "a/b");
    assertThat(match("+")).isEmpty();
    assertThat(tree.get("/").version()).isEqualTo(1);
    assertThat(tree.get("a/")).isNotNull();
    assertThat(tree.get("a")).isNull();
  }

  @Test
  void removeKeepsTopicsAboveAndBelow() {
    putAll("a", "a/b", "a/b/c");

    tree.remove("a/b");

    assertThat(match("#")).containsExactlyInAnyOrder("a", "a/b/c");
    assertThat(tree.size()).isEqualTo(2);
    tree.remove("a/b/c");
    assertThat(match("a/#")).containsExactly("a");
    assertThat(tree.get("a/b/c")).isNull();
  }

  @Test
  void removeOfAnAbsentTopicChangesNothing() {
    putAll("a/b/c");

    tree.remove("a/b");
    tree.remove("a/b/c/d");
    tree.remove("x");

    assertThat(tree.size()).isEqualTo(1);
    assertThat(match("#")).containsExactly("a/b/c");
  }

  @Test
  void aTopicCanComeBackAfterItsBranchWasPruned() {
    putAll("a/b/c");
    tree.remove("a/b/c");
    assertThat(match("#")).isEmpty();
    assertThat(tree.size()).isZero();

    putAll("a/b/c", "a/b");

    assertThat(match("a/+/c")).containsExactly("a/b/c");
    assertThat(match("a/#")).containsExactlyInAnyOrder("a/b", "a/b/c");
  }

  @Test
  void prefixesMayEndInsideALevel() {
    putAll("site/1/x", "site/10/x", "site/2/x", "site/1", "sitex", "$dapr/state/s/k");

    assertThat(prefix("site/1")).containsExactlyInAnyOrder("site/1/x", "site/10/x", "site/1");
    assertThat(prefix("site/1/")).containsExactly("site/1/x");
    assertThat(prefix("site")).hasSize(5);
    assertThat(prefix("")).hasSize(6);
    assertThat(prefix("$dapr/state/s/")).containsExactly("$dapr/state/s/k");
    assertThat(prefix("nope/")).isEmpty();
  }

  @Test
  void tensOfThousandsOfLevelsDoNotOverflowTheStack() {
    String deep = "/".repeat(40_000) + "x";
    put(deep, 1);

    assertThat(match("#")).containsExactly(deep);
    assertThat(prefix("//")).containsExactly(deep);
    assertThat(tree.get(deep)).isNotNull();
    tree.remove(deep);
    assertThat(tree.size()).isZero();
    assertThat(match("#")).isEmpty();
  }

  @Test
  void readersDuringWritesSeeWhatWasWrittenAndNeverFail() throws Exception {
    put("stay/here", 0);
    Set<String> written = Set.of("stay/here", "w/0", "w/0/x", "w/1", "w/1/x", "w/2", "w/2/x");
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<Integer> reader =
        CompletableFuture.supplyAsync(
            () -> {
              int reads = 0;
              while (!done.get() || reads == 0) {
                List<String> all = match("#");
                assertThat(all).contains("stay/here");
                assertThat(written).containsAll(all);
                assertThat(match("+/+/x")).allMatch(t -> t.startsWith("w/"));
                reads++;
              }
              return reads;
            });
    for (int i = 0; i < 200_000 && !reader.isDone(); i++) {
      String topic = "w/" + (i % 3) + (i % 2 == 0 ? "" : "/x");
      if (i % 5 < 3) {
        put(topic, i);
      } else {
        tree.remove(topic);
      }
    }
    done.set(true);

    assertThat(reader.get()).isPositive();
  }

  private void put(String topic, long version) {
    tree.put(header(topic, version));
  }

  private void putAll(String... topics) {
    for (String t : topics) {
      put(t, 1);
    }
  }

  private List<String> match(String filter) {
    List<String> out = new ArrayList<>();
    tree.forEachMatch(TopicRules.SPEC.parseFilter(filter).levels(), h -> out.add(h.topic()));
    return out;
  }

  private List<String> prefix(String prefix) {
    List<String> out = new ArrayList<>();
    tree.forEachWithPrefix(prefix, h -> out.add(h.topic()));
    return out;
  }

  private static RetainedHeader header(String topic, long version) {
    return new RetainedHeader(topic, version, Qos.AT_LEAST_ONCE, null, 1);
  }
}
