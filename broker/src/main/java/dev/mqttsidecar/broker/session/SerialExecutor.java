package dev.mqttsidecar.broker.session;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool. The owner's state is confined to
 * it, so no locks are needed. A failing task is logged and never stops the ones after it.
 */
public final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  private static final int BATCH = 256;

  private final Executor pool;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile Thread runner;

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  /** Whether the calling thread is currently running one of this executor's tasks. */
  public boolean inExecutor() {
    return runner == Thread.currentThread();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        pool.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The broker has stopped: run what is left here, one at a time as before, so that
        // completions (a close waiting for its detach) still happen.
        LOG.debug("pool shut down, running remaining tasks on the caller");
        drain();
      }
    }
  }

  private void drain() {
    runner = Thread.currentThread();
    try {
      for (int i = 0; i < BATCH; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (Throwable t) {
          LOG.error("task failed", t);
        }
      }
    } finally {
      runner = null;
      scheduled.set(false);
    }
    if (!tasks.isEmpty()) {
      schedule();
    }
  }
}
