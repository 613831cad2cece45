package dev.mqttsidecar.component.model;

import dev.mqttsidecar.broker.model.SessionLifecycleRun;
import dev.mqttsidecar.broker.model.Step;
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
 * The session life-cycle model run against the sidecar process, with {@code kill -9} among the
 * steps, in the durable modes (the broker module runs it in-process in every mode). CI runs {@value
 * #TRIES} sequences per mode; {@code -Dmodel.tries=N} runs more, {@code -Dmodel.seed=S} replays a
 * failure (see {@link ModelRunSettings}).
 */
@AddLifecycleHook(ModelRunSettings.class)
class SessionLifecycleCrashIT {
  static final int TRIES = 3;

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
  void fsync(@ForAll("sequences") List<Step> steps) throws Exception {
    run("fsync", steps);
  }

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
  void periodic(@ForAll("sequences") List<Step> steps) throws Exception {
    run("periodic", steps);
  }

  @Provide
  Arbitrary<List<Step>> sequences() {
    return Step.sequences(40, true);
  }

  private static void run(String durability, List<Step> steps) throws Exception {
    Path folder = Files.createTempDirectory("session-crash");
    try (ProcessBroker broker = new ProcessBroker(folder, durability)) {
      new SessionLifecycleRun(broker).run(steps);
    } finally {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @AfterContainer
  static void report() {
    System.out.println(SessionLifecycleRun.totals());
  }
}
