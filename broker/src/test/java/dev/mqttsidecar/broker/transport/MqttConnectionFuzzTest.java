package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connection state machine fed arbitrary bytes, with and without a valid CONNECT first, in
 * 3.1.1 and 5.0, by two clients that may share a session ({@link ConnectionScript}), each over the
 * listener's real stages on an {@code EmbeddedChannel} in front of a real broker core. A failure is
 * an exception that reaches the end of the pipeline, a task that throws, a warning or error logged
 * (a safety net caught something), a buffer not released, a session left online after its
 * connection closed, or a broker that never comes to rest.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the inputs in {@code
 * MqttConnectionFuzzTestInputs/connection/}; see the README's "Fuzzing" section for fuzzing runs.
 */
@ExtendWith(LeakCheck.class)
class MqttConnectionFuzzTest {
  private static ErrorLogCapture logs;

  @BeforeAll
  static void watchLogs() {
    logs = ErrorLogCapture.faults();
  }

  @AfterAll
  static void stopWatching() {
    logs.close();
  }

  @FuzzTest
  void connection(byte[] input) {
    logs.drain();
    ConnectionScript script = new ConnectionScript(input);
    try (EmbeddedConnections broker = new EmbeddedConnections(script.config())) {
      script.play(broker);
    }
    assertThat(logs.drain()).as("warnings and errors logged").isEmpty();
  }
}
