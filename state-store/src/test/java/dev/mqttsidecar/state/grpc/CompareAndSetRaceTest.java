package dev.mqttsidecar.state.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.State;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrent read-modify-write with ETags on one key never loses an update. */
class CompareAndSetRaceTest extends HarnessTestBase {
  private static final int THREADS = 20;
  private static final int INCREMENTS = 25;

  @Test
  void twentyThreadsIncrementingOneCounterLoseNothing() throws Exception {
    race(store);
  }

  /** Races {@value #THREADS} threads, each incrementing one counter with ETag-guarded writes. */
  static void race(GrpcHarness.Client store) throws Exception {
    store.set("counter", "0");
    AtomicInteger conflicts = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < INCREMENTS; i++) {
                    for (int attempt = 0; ; attempt++) {
                      if (attempt > 10_000) {
                        throw new AssertionError("no progress");
                      }
                      State.GetResponse r = store.get("counter");
                      int n = Integer.parseInt(r.getData().toStringUtf8());
                      try {
                        store
                            .state()
                            .set(
                                GrpcHarness.setRequest("counter", Integer.toString(n + 1))
                                    .setEtag(r.getEtag())
                                    .build());
                        break;
                      } catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                          throw e;
                        }
                        conflicts.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.text("counter")).isEqualTo(Integer.toString(THREADS * INCREMENTS));
    assertThat(conflicts.get()).as("the race must actually race").isPositive();
  }
}
