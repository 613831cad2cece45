package dev.mqttsidecar.component.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefreshedLoadTest {
  private static final Duration REFRESH = Duration.ofSeconds(10);

  @Test
  void theLoadIsReadAtMostOncePerRefresh() {
    AtomicInteger reads = new AtomicInteger();
    AtomicLong now = new AtomicLong(1_000);
    RefreshedLoad load = new RefreshedLoad(() -> reads.incrementAndGet() / 10.0, now::get, REFRESH);

    assertThat(load.value()).isEqualTo(0.1);
    now.addAndGet(REFRESH.toNanos() - 1);
    assertThat(load.value()).isEqualTo(0.1);
    assertThat(reads).hasValue(1);
    now.addAndGet(1);
    assertThat(load.value()).isEqualTo(0.2);
    assertThat(reads).hasValue(2);
  }

  @Test
  void anUnknownLoadIsNaNAndAskedForAgainNextTime() {
    AtomicInteger reads = new AtomicInteger();
    RefreshedLoad load = new RefreshedLoad(() -> reads.incrementAndGet() - 3.0, () -> 0, REFRESH);
    assertThat(load.value()).isNaN();
    assertThat(load.value()).isNaN();
    assertThat(load.value()).isZero();
    assertThat(reads).hasValue(3);
  }
}
