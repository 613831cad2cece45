package dev.mqttsidecar.broker.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final ExecutorService home = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    home.shutdownNow();
  }

  @Test
  void aTaskSubmittedOnItsIdleEventLoopRunsBeforeExecuteReturns() throws Exception {
    SerialExecutor executor = new SerialExecutor(home);
    executor.moveTo(loop);
    List<String> seen = new CopyOnWriteArrayList<>();
    loop.submit(
            () -> {
              executor.execute(() -> seen.add("task"));
              seen.add("after execute");
            })
        .get(5, TimeUnit.SECONDS);
    assertThat(seen).containsExactly("task", "after execute");
  }

  @Test
  void aTaskSubmittedFromARunningTaskWaitsForItToFinish() throws Exception {
    SerialExecutor executor = new SerialExecutor(home);
    executor.moveTo(loop);
    List<String> seen = new CopyOnWriteArrayList<>();
    loop.submit(
            () ->
                executor.execute(
                    () -> {
                      seen.add("first starts");
                      executor.execute(() -> seen.add("second"));
                      seen.add("first ends");
                    }))
        .get(5, TimeUnit.SECONDS);
    loop.submit(() -> {}).get(5, TimeUnit.SECONDS); // the second runs as a later loop task
    assertThat(seen).containsExactly("first starts", "first ends", "second");
  }

  @Test
  void aTaskSubmittedFromAnotherThreadRunsOnTheEventLoopInOrder() throws Exception {
    SerialExecutor executor = new SerialExecutor(home);
    executor.moveTo(loop);
    List<String> seen = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 100; i++) {
      int n = i;
      executor.execute(() -> seen.add(n + (loop.inEventLoop() ? "" : " off the loop")));
    }
    loop.submit(() -> executor.execute(() -> seen.add("last"))).get(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (seen.size() < 101 && System.nanoTime() < deadline) {
      loop.submit(() -> {}).get(5, TimeUnit.SECONDS);
    }
    assertThat(seen).hasSize(101).endsWith("last");
    for (int i = 0; i < 100; i++) {
      assertThat(seen.get(i)).isEqualTo(String.valueOf(i));
    }
  }
}
