package dev.mqttsidecar.component.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.dapr.InvalidMetadataException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateServiceModeTest {
  @Test
  void defaultsToAutoAndReadsEachValueIgnoringCase() {
    assertThat(StateServiceMode.parse(Map.of())).isEqualTo(StateServiceMode.AUTO);
    assertThat(StateServiceMode.parse(Map.of("stateService", " Required ")))
        .isEqualTo(StateServiceMode.REQUIRED);
    assertThat(StateServiceMode.parse(Map.of("stateservice", "off")))
        .isEqualTo(StateServiceMode.OFF);
  }

  @Test
  void anyOtherValueNamesTheKeyAndTheChoices() {
    assertThatThrownBy(() -> StateServiceMode.parse(Map.of("stateService", "maybe")))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("stateService")
        .hasMessageContaining("auto, required or off");
  }
}
