package dev.mqttsidecar.broker.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Test
  void tasksFromManyThreadsRunOneAtATimeEachThreadsInItsOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4); // drains run on any of them
    ExecutorService submitters = Executors.newFixedThreadPool(4);
    try {
      SerialExecutor executor = new SerialExecutor(pool);
      int perThread = 5_000;
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      int[] lastSeen = new int[4];
      Arrays.fill(lastSeen, -1);
      AtomicInteger outOfOrder = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(4 * perThread);
      for (int t = 0; t < 4; t++) {
        int submitter = t;
        submitters.execute(
            () -> {
              for (int i = 0; i < perThread; i++) {
                int n = i;
                executor.execute(
                    () -> {
                      if (running.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                      }
                      if (lastSeen[submitter] != n - 1) { // confined: no lock needed
                        outOfOrder.incrementAndGet();
                      }
                      lastSeen[submitter] = n;
                      running.decrementAndGet();
                      done.countDown();
                    });
              }
            });
      }
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(overlaps.get()).isZero();
      assertThat(outOfOrder.get()).isZero();
    } finally {
      submitters.shutdownNow();
      pool.shutdownNow();
    }
  }
}
