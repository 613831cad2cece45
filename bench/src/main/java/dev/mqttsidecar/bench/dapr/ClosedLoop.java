package dev.mqttsidecar.bench.dapr;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code callers} callers that each make their next call when the previous one answered, as daprd's
 * request handlers do, until stopped. Counts the answers. A call refused with RESOURCE_EXHAUSTED
 * (the sidecar's back-pressure: a subscriber's queue is full) is made again after a millisecond, as
 * daprd's resiliency policy would; any other failure stops every caller.
 */
final class ClosedLoop {
  /** Starts call number {@code n} of caller {@code caller}. */
  interface Call {
    ListenableFuture<?> start(int caller, long n);
  }

  private final Call call;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong answered = new AtomicLong();
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("retries"));
  private final AtomicLong running = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private ClosedLoop(Call call) {
    this.call = call;
  }

  /** Starts {@code callers} callers; {@link #stop} ends them. */
  static ClosedLoop start(int callers, Call call) {
    ClosedLoop loop = new ClosedLoop(call);
    loop.running.set(callers);
    for (int c = 0; c < callers; c++) {
      loop.next(c, 0);
    }
    return loop;
  }

  /** Answers so far. */
  long answered() {
    return answered.get();
  }

  /** Stops the callers and waits (at most {@code timeout}) for the calls in flight to answer. */
  void stop(Duration timeout) throws InterruptedException {
    stop.set(true);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    retries.shutdownNow();
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("a call failed: " + t, t);
    }
  }

  private void next(int caller, long n) {
    if (stop.get()) {
      running.decrementAndGet();
      return;
    }
    Futures.addCallback(
        call.start(caller, n),
        new FutureCallback<Object>() {
          @Override
          public void onSuccess(Object result) {
            answered.incrementAndGet();
            next(caller, n + 1);
          }

          @Override
          public void onFailure(Throwable t) {
            if (Status.fromThrowable(t).getCode() == Status.Code.RESOURCE_EXHAUSTED) {
              try {
                retries.schedule(() -> next(caller, n), 1, TimeUnit.MILLISECONDS);
              } catch (RejectedExecutionException stopped) {
                running.decrementAndGet();
              }
              return;
            }
            failure.compareAndSet(null, t);
            stop.set(true);
            running.decrementAndGet();
          }
        },
        MoreExecutors.directExecutor());
  }
}
