package dev.mqttsidecar.component.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.UserProperty;
import java.util.List;
import org.junit.jupiter.api.Test;

class HopLimitTest {
  private final HopLimit hopLimit = new HopLimit("mqtt-sidecar-abc");

  private static FlowMessage message(UserProperty... properties) {
    return new FlowMessage("t", new byte[0], 1, false, null, List.of(properties));
  }

  @Test
  void aMessageWithoutHopsLeavesWithOneAndTheSidecarsIdKeepingItsOtherProperties() {
    FlowMessage in = message(new UserProperty("k", "v"));
    FlowMessage out = hopLimit.stamp(in, in.userProperties());
    assertThat(out.userProperties())
        .containsExactly(
            new UserProperty("k", "v"),
            new UserProperty(HopLimit.HOPS, "1"),
            new UserProperty(HopLimit.VIA, "mqtt-sidecar-abc"));
  }

  @Test
  void theCountGoesUpAndReplacesTheOneItCameWith() {
    FlowMessage in =
        message(new UserProperty(HopLimit.HOPS, "3"), new UserProperty(HopLimit.VIA, "other"));
    FlowMessage out = hopLimit.stamp(in, in.userProperties());
    assertThat(out.userProperties())
        .containsExactly(
            new UserProperty(HopLimit.HOPS, "4"),
            new UserProperty(HopLimit.VIA, "mqtt-sidecar-abc"));
  }

  @Test
  void theLimitIsReachedAtMaxHopsAndAValueThatIsNoCountIsZero() {
    assertThat(HopLimit.exceeded(List.of(new UserProperty(HopLimit.HOPS, "7")))).isFalse();
    assertThat(HopLimit.exceeded(List.of(new UserProperty(HopLimit.HOPS, "8")))).isTrue();
    assertThat(HopLimit.hops(List.of(new UserProperty(HopLimit.HOPS, "many")))).isZero();
    assertThat(HopLimit.hops(List.of(new UserProperty(HopLimit.HOPS, "-5")))).isZero();
  }
}
