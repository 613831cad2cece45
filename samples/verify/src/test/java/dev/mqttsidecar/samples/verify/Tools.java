package dev.mqttsidecar.samples.verify;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/** Small helpers of the sample tests. */
final class Tools {
  static final String MISSING =
      "mosquitto-clients are not installed (.ci/run installs them: apt-get install mosquitto-clients)";

  private Tools() {}

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Repeats an action until a condition holds, at most 50 times and within the timeout; for
   * commands whose effect is only visible once another process is ready.
   */
  static void repeatUntil(Callable<?> action, BooleanSupplier done, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int attempt = 0; attempt < 50 && System.nanoTime() < deadline; attempt++) {
      action.call();
      try {
        await()
            .atMost(Duration.ofMillis(500))
            .pollInterval(Duration.ofMillis(25))
            .until(done::getAsBoolean);
        return;
      } catch (ConditionTimeoutException notYet) {
        // the other process was not ready for this attempt; try again
      }
    }
    throw new AssertionError("not done after repeating for " + timeout);
  }
}
