package dev.mqttsidecar.component.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViewerBufferTest {

  @Test
  void aFullBufferDropsTheOldestAndCountsThem() {
    ViewerBuffer<Integer> buffer = new ViewerBuffer<>(3);
    assertThat(buffer.add(1)).isTrue();
    for (int i = 2; i <= 10; i++) {
      assertThat(buffer.add(i)).isFalse();
    }
    ViewerBuffer.Batch<Integer> batch = buffer.take(100);
    assertThat(batch.items()).containsExactly(8, 9, 10);
    assertThat(batch.dropped()).isEqualTo(7);
    assertThat(buffer.take(100).dropped()).isZero();
  }

  @Test
  void aTakeIsBoundedAndKeepsTheRestInOrder() {
    ViewerBuffer<Integer> buffer = new ViewerBuffer<>(10);
    for (int i = 1; i <= 5; i++) {
      buffer.add(i);
    }
    assertThat(buffer.take(2).items()).containsExactly(1, 2);
    assertThat(buffer.take(10).items()).containsExactly(3, 4, 5);
    assertThat(buffer.add(6)).isTrue();
  }
}
