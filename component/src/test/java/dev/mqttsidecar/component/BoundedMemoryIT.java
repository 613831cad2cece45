package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * State that does not fit in the heap: the sidecar runs with a 96 MiB heap and stores 320 values of
 * 1 MiB, reads every one back, and again after a restart. Values live on disk behind a bounded
 * cache; only their index is in memory, so the process neither runs out of memory nor loses a
 * value.
 */
@Timeout(300)
class BoundedMemoryIT {
  private static final String HEAP = "96m";
  private static final String STORE = "mqtt-state";
  private static final int KEYS = 320;
  private static final int VALUE_BYTES = 1 << 20;

  @TempDir Path folder;

  private static byte[] value(int key) {
    byte[] v = new byte[VALUE_BYTES];
    Arrays.fill(v, (byte) key);
    v[0] = (byte) (key >> 8); // keys over 255 differ from their byte-sized twins
    return v;
  }

  @Test
  void moreStateThanHeapIsStoredAndReadBack() throws Exception {
    Path data = folder.resolve("data");
    ComponentYaml yaml = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    try (SidecarProcess sidecar =
            SidecarProcess.startWithHeap(HEAP, folder, "big", "--data-dir", data.toString());
        FakeDaprd daprd = new FakeDaprd(folder.resolve("big.sock"))) {
      daprd.initState(yaml);
      for (int key = 0; key < KEYS; key++) {
        daprd
            .state(STORE)
            .set(
                State.SetRequest.newBuilder()
                    .setKey("app||k" + key)
                    .setValue(ByteString.copyFrom(value(key)))
                    .build());
      }
      assertEveryValueReadable(daprd);
      assertThat(sidecar.isAlive()).isTrue();
    }
    try (SidecarProcess sidecar =
            SidecarProcess.startWithHeap(HEAP, folder, "big", "--data-dir", data.toString());
        FakeDaprd daprd = new FakeDaprd(folder.resolve("big.sock"))) {
      daprd.initState(yaml);
      assertEveryValueReadable(daprd);
      assertThat(sidecar.output()).doesNotContain("OutOfMemoryError");
    }
  }

  private static void assertEveryValueReadable(FakeDaprd daprd) {
    for (int key = 0; key < KEYS; key++) {
      ByteString got =
          daprd
              .state(STORE)
              .get(State.GetRequest.newBuilder().setKey("app||k" + key).build())
              .getData();
      assertThat(got.size()).as("size of k%d", key).isEqualTo(VALUE_BYTES);
      assertThat(got.toByteArray()).as("k%d", key).isEqualTo(value(key));
    }
  }
}
