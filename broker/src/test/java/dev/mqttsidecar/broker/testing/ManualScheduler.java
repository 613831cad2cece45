package dev.mqttsidecar.broker.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer service whose timers fire only when a test moves the clock with {@link #advance} or asks
 * with {@link #runDue}, on the test's thread; what {@link #execute} submits is due at once. As a
 * broker's worker pool and timers both, it makes the broker do the same thing every time. Once shut
 * down it refuses new timers, like a stopped broker's timer thread. Periodic scheduling is not
 * supported.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private final MutableClock clock;
  private final List<Timer> timers = new ArrayList<>();
  private long scheduled;
  private boolean shutdown;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** Moves the clock on by {@code d}, then fires every timer due by then, earliest first. */
  public void advance(Duration d) {
    clock.advance(d);
    runDue(Integer.MAX_VALUE);
  }

  /**
   * Fires the timers due now, earliest first, including those they schedule for now (what {@link
   * #execute} submits), up to {@code max} of them.
   *
   * @return how many fired
   * @throws AssertionError when a task threw: a real timer thread would lose the exception, so the
   *     test must see it
   */
  public int runDue(int max) {
    int fired = 0;
    while (fired < max) {
      Timer next =
          timers.stream()
              .filter(t -> !t.due.isAfter(clock.instant()))
              .min(Comparator.comparing((Timer t) -> t.due).thenComparingLong(t -> t.order))
              .orElse(null);
      if (next == null) {
        break;
      }
      timers.remove(next);
      next.run();
      fired++;
      next.rethrowFailure();
    }
    return fired;
  }

  /** Timers scheduled that have neither fired nor been cancelled. */
  public int pending() {
    timers.removeIf(Timer::isCancelled);
    return timers.size();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    if (shutdown) {
      throw new RejectedExecutionException("timer stopped");
    }
    Timer t = new Timer(task, clock.instant().plusNanos(unit.toNanos(delay)), scheduled++);
    timers.add(t);
    return t;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(timers);
    timers.clear();
    return left;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  private final class Timer extends FutureTask<Void> implements ScheduledFuture<Void> {
    private final Instant due;
    private final long order;

    Timer(Runnable task, Instant due, long order) {
      super(task, null);
      this.due = due;
      this.order = order;
    }

    void rethrowFailure() {
      if (isDone() && !isCancelled()) {
        try {
          get();
        } catch (ExecutionException e) {
          throw new AssertionError("timer task failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
