package dev.mqttsidecar.broker.model;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.testing.ModelRunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random session life-cycles against the broker in this JVM, in every durability mode, checked
 * against {@link SessionModel}: see {@link SessionLifecycleRun}. CI runs {@value #TRIES} sequences
 * per mode; {@code -Dmodel.tries=N} runs more, {@code -Dmodel.seed=S} replays a failure (see {@link
 * ModelRunSettings}). A failure prints the shrunk steps and the seed that reproduces them.
 */
@AddLifecycleHook(ModelRunSettings.class)
class SessionLifecycleModelIT {
  static final int TRIES = 8;

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
  void fsync(@ForAll("sequences") List<Step> steps) throws Exception {
    run(Durability.FSYNC, steps);
  }

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
  void periodic(@ForAll("sequences") List<Step> steps) throws Exception {
    run(Durability.PERIODIC, steps);
  }

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
  void memory(@ForAll("sequences") List<Step> steps) throws Exception {
    run(Durability.MEMORY, steps);
  }

  @Provide
  Arbitrary<List<Step>> sequences() {
    return Step.sequences(40, false);
  }

  private static void run(Durability durability, List<Step> steps) throws Exception {
    Path data = Files.createTempDirectory("session-model");
    try (InProcessBroker broker = new InProcessBroker(data, durability)) {
      new SessionLifecycleRun(broker).run(steps);
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @AfterContainer
  static void report() {
    System.out.println(SessionLifecycleRun.totals());
  }
}
