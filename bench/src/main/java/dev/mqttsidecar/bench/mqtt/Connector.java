package dev.mqttsidecar.bench.mqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Opens many connections with a bound on handshakes in progress, so a burst does not overflow the
 * broker's accept backlog (a dropped SYN costs a one-second retransmit and skews the rate).
 */
public final class Connector {
  private Connector() {}

  /**
   * Starts {@code count} connections, at most {@code concurrency} at a time, and waits for all.
   *
   * @param open starts connection i and returns its readiness
   * @return the failures (empty if all succeeded)
   */
  public static List<Throwable> openAll(
      int count, int concurrency, Duration timeout, IntFunction<CompletableFuture<Void>> open)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Semaphore permits = new Semaphore(concurrency);
    List<CompletableFuture<Void>> all = new ArrayList<>(count);
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < count; i++) {
      if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        failures.add(
            new IllegalStateException("timed out opening connection " + i + " of " + count));
        break;
      }
      CompletableFuture<Void> f = open.apply(i);
      all.add(
          f.whenComplete(
              (ok, error) -> {
                permits.release();
                if (error != null) {
                  failures.add(error);
                }
              }));
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      // already in failures
    } catch (java.util.concurrent.TimeoutException e) {
      long pending = all.stream().filter(f -> !f.isDone()).count();
      failures.add(new IllegalStateException(pending + " connections not ready after " + timeout));
    }
    return List.copyOf(failures);
  }
}
