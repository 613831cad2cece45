package dev.mqttsidecar.component.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dapr's pub/sub and state store requests, built from fuzzer bytes ({@link DaprCallScript}), sent
 * to the sidecar over its Unix socket as daprd sends them: Init, Publish, BulkPublish, Set, Get,
 * Delete, their bulk forms, Transact and Query. Every call must end, in time, with OK or a status
 * that names the caller's mistake or a bound; INTERNAL or UNKNOWN (an exception no handler turned
 * into a status), a deadline passed, an error logged, or an MQTT 5 subscriber of every topic that
 * lost its connection (it got a packet it finds malformed) is a failure.
 *
 * <p>Each input starts from the repository's component files and an empty broker, so a finding
 * replays alone.
 */
class DaprGrpcFuzzTest {
  /** What a call may fail with: the request is wrong, or a bound or condition says no. */
  private static final Set<Status.Code> REFUSALS =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.PERMISSION_DENIED);

  @TempDir static Path folder;
  private static InProcessSidecar sidecar;
  private static ComponentYaml pubsub;
  private static ComponentYaml state;
  private static ErrorLogCapture errors;
  private static SubscriberProbe subscriber;

  @BeforeAll
  static void startSidecar() throws Exception {
    sidecar = InProcessSidecar.start(folder);
    pubsub =
        ComponentYaml.read(ComponentYaml.FOLDER.resolve("pubsub.yaml"))
            .withName(DaprCallScript.PUBSUB);
    state =
        ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"))
            .withName(DaprCallScript.STATE);
    errors = ErrorLogCapture.errorsUnder("dev.mqttsidecar");
    subscriber = new SubscriberProbe(sidecar.sidecar().broker(), sidecar.mqttPort());
  }

  @AfterAll
  static void stopSidecar() throws Exception {
    errors.close();
    subscriber.close();
    sidecar.close();
  }

  @FuzzTest
  void calls(byte[] script) throws InterruptedException {
    sidecar.daprd().initPubSub(pubsub);
    sidecar.daprd().initState(state);
    try {
      for (DaprCallScript.Outcome o : new DaprCallScript(sidecar.daprd()).play(script)) {
        if (o.failure() != null) {
          assertThat(o.failure().getStatus().getCode())
              .as("%s %s: %s", o.rpc(), o.request(), o.failure().getStatus())
              .isIn(REFUSALS);
          assertThat(o.failure().getStatus().getDescription()).as("why").isNotBlank();
        }
      }
      assertThat(errors.drain()).as("errors logged").isEmpty();
      assertThat(subscriber.stillReceives(10)).as("an MQTT 5 subscriber still connected").isTrue();
    } finally {
      removeEverythingRetained();
    }
  }

  /** Deletes what the input stored: state keys and retained publishes. */
  private static void removeEverythingRetained() {
    RetainedStore retained = sidecar.sidecar().broker().retained();
    List<RetainedWrite> deletes =
        retained.topics("").stream()
            .map(t -> RetainedWrite.delete(t, RetainedWrite.ANY_VERSION))
            .toList();
    if (!deletes.isEmpty()) {
      retained.write(deletes).orTimeout(10, TimeUnit.SECONDS).join();
    }
  }
}
