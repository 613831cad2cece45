package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.broker.testing.ModelRunSettings;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Dapr consumer groups, model-based: random sequences of streams opening and closing (each acking,
 * failing or never acking its messages in its own pattern), publishes, Pause/Resume and sidecar
 * restarts on a durable store, for two apps on one topic (see {@link Step}, {@link
 * ConsumerGroupRun}). Property: at-least-once, every message whose Publish succeeded is eventually
 * acked by a stream of every consumer group that existed when it was published; no group receives a
 * message published before it existed. Duplicates are counted, not failed.
 *
 * <p>A failure prints the shrunk step list and the seed. CI runs {@value #TRIES} sequences; {@code
 * -Dmodel.tries=N} runs more, {@code -Dmodel.seed=S} replays a failure (see {@link
 * ModelRunSettings}), {@code -Dmodel.steps=N} makes sequences longer (default {@value #MAX_STEPS}).
 */
@AddLifecycleHook(ModelRunSettings.class)
class ConsumerGroupModelTest {
  static final int TRIES = 30;
  static final int MAX_STEPS = 25;

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
  void everyMessageReachesEveryGroupThatExistedWhenItWasPublished(
      @ForAll("sequences") List<Step> steps) throws Exception {
    ConsumerGroupRun.run(steps);
  }

  @Provide
  Arbitrary<List<Step>> sequences() {
    int maxSteps = Integer.getInteger("model.steps", MAX_STEPS);
    return Step.sequences(Math.min(10, maxSteps), maxSteps);
  }

  @AfterContainer
  static void report() {
    System.out.println(ConsumerGroupRun.totals());
  }
}
