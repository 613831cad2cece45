package dev.mqttsidecar.component.state;

import static dev.mqttsidecar.component.state.StateSocketTestBase.assertEtagError;
import static dev.mqttsidecar.component.state.StateSocketTestBase.setRequest;
import static dev.mqttsidecar.component.state.StateSocketTestBase.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State stores in remote mode: two sidecars started with {@code --no-broker}, each with its own
 * socket, share state through the broker tier's state service, ETags included.
 */
class RemoteStateIT {
  @TempDir Path folder;

  @Test
  void twoRemoteSidecarsShareStateAndExactlyOneWinsAnEtagRace() throws Exception {
    try (SidecarProcess tier = SidecarProcess.start(folder, "tier");
        SidecarProcess a = SidecarProcess.start(folder, "a", "--no-broker");
        SidecarProcess b = SidecarProcess.start(folder, "b", "--no-broker");
        FakeDaprd daprdA = new FakeDaprd(folder.resolve("a.sock"));
        FakeDaprd daprdB = new FakeDaprd(folder.resolve("b.sock"))) {
      ComponentYaml store =
          new ComponentYaml(
              "orders", "state.mqtt-sidecar", Map.of("url", "tcp://127.0.0.1:" + tier.mqttPort()));
      assertThat(daprdA.initState(store)).contains("ETAG", "TRANSACTIONAL");
      assertThat(daprdB.initState(store)).contains("ETAG", "TRANSACTIONAL");

      daprdA.state("orders").set(setRequest("order-1", utf8("placed"), null));
      State.GetResponse seen = daprdB.state("orders").get(get("order-1"));
      assertThat(seen.getData().toStringUtf8()).isEqualTo("placed");
      String etag = seen.getEtag().getValue();

      List<CompletableFuture<Throwable>> racers = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      for (FakeDaprd daprd : List.of(daprdA, daprdB)) {
        racers.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await(10, TimeUnit.SECONDS);
                    daprd.state("orders").set(setRequest("order-1", utf8("paid"), etag));
                    return null;
                  } catch (StatusRuntimeException | InterruptedException e) {
                    return e;
                  }
                }));
      }
      go.countDown();
      List<Throwable> outcomes = new ArrayList<>();
      for (CompletableFuture<Throwable> racer : racers) {
        outcomes.add(racer.get(30, TimeUnit.SECONDS));
      }
      assertThat(outcomes).as("exactly one Set wins").containsOnlyOnce((Throwable) null);
      Throwable loser = outcomes.stream().filter(t -> t != null).findFirst().orElseThrow();
      assertEtagError(
          () -> {
            throw (StatusRuntimeException) loser;
          },
          Status.Code.FAILED_PRECONDITION);
      assertThat(daprdA.state("orders").get(get("order-1")).getData().toStringUtf8())
          .isEqualTo("paid");
    }
  }

  @Test
  void withoutUrlAStateStoreOnASidecarWithoutBrokerFailsInit() throws Exception {
    try (SidecarProcess a = SidecarProcess.start(folder, "lonely", "--no-broker");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("lonely.sock"))) {
      assertThatThrownBy(
              () -> daprd.initState(new ComponentYaml("s", "state.mqtt-sidecar", Map.of())))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription()).contains("--no-broker").contains("url");
              });
    }
  }

  private static State.GetRequest get(String key) {
    return State.GetRequest.newBuilder().setKey(key).build();
  }
}
