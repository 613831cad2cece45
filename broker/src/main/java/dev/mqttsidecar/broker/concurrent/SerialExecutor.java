package dev.mqttsidecar.broker.concurrent;

import io.netty.util.concurrent.EventExecutor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool. The owner's state is confined to
 * it, so no locks are needed. A failing task is logged and never stops the ones after it.
 *
 * <p>The pool can be switched at any time ({@link #moveTo}): a session attached to a connection
 * runs on that connection's event loop, so its writes need no thread hop, and a task submitted on
 * that loop while the executor is idle runs at once. Only one drain runs at a time whatever the
 * pool, so order and confinement hold across a switch.
 *
 * <p>Every session has one, so it is kept small: plain fields changed through {@link VarHandle}s
 * rather than atomic wrapper objects, and no queue object: submitted tasks form a linked stack in a
 * field (empty while idle), which the draining thread reverses into submission order.
 */
public final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  private static final int BATCH = 256;
  private static final VarHandle POOL;
  private static final VarHandle SCHEDULED;
  private static final VarHandle SUBMITTED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      POOL = lookup.findVarHandle(SerialExecutor.class, "pool", Executor.class);
      SCHEDULED = lookup.findVarHandle(SerialExecutor.class, "scheduled", boolean.class);
      SUBMITTED = lookup.findVarHandle(SerialExecutor.class, "submitted", Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Executor home;
  private volatile Executor pool;
  private final Runnable drainTask = this::drain;
  private volatile Node submitted; // not yet taken by a drain, newest first; any thread pushes
  private Node backlog; // taken but not run yet, oldest first; only the draining thread uses it
  private volatile boolean scheduled;
  private volatile Thread runner;

  public SerialExecutor(Executor pool) {
    this.home = pool;
    this.pool = pool;
  }

  /** Runs the next tasks on {@code executor} (an event loop: it must never block). */
  public void moveTo(Executor executor) {
    pool = executor;
  }

  /** Back to the shared pool, unless another executor took over since {@code moveTo(from)}. */
  public void moveHome(Executor from) {
    POOL.compareAndSet(this, from, home);
  }

  @Override
  public void execute(Runnable task) {
    if (onPoolThread() && SCHEDULED.compareAndSet(this, false, true)) {
      // Already on the thread the tasks would run on and none is running or scheduled: run now.
      // A publish on one connection then reaches a subscriber on the same event loop without a
      // task and a wake-up per message, and its outcome is known before the call returns.
      if (!hasTasks()) {
        runNow(task);
      } else {
        push(task); // behind a task whose submitter lost the race to schedule it
        drain();
      }
      return;
    }
    push(task);
    schedule();
  }

  /** Runs {@code task} in turn; completes once it ran (even if it failed). */
  public CompletableFuture<Void> run(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    execute(
        () -> {
          try {
            task.run();
          } finally {
            done.complete(null);
          }
        });
    return done;
  }

  private void runNow(Runnable task) {
    runner = Thread.currentThread();
    try {
      runLogged(task);
    } finally {
      runner = null;
      scheduled = false;
    }
    if (hasTasks()) {
      schedule();
    }
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      LOG.error("task failed", t);
    }
  }

  private boolean onPoolThread() {
    return pool instanceof EventExecutor loop && loop.inEventLoop();
  }

  /** Whether the calling thread is currently running one of this executor's tasks. */
  public boolean inExecutor() {
    return runner == Thread.currentThread();
  }

  private void schedule() {
    if (SCHEDULED.compareAndSet(this, false, true)) {
      Executor target = pool;
      try {
        target.execute(drainTask);
      } catch (RejectedExecutionException e) {
        if (target != home) {
          // The event loop stopped before the session moved home: carry on in the shared pool.
          POOL.compareAndSet(this, target, home);
          scheduled = false;
          schedule();
          return;
        }
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
        Runnable task = poll();
        if (task == null) {
          break;
        }
        runLogged(task);
      }
    } finally {
      runner = null;
      scheduled = false;
    }
    if (hasTasks()) {
      schedule();
    }
  }

  private void push(Runnable task) {
    Node node = new Node(task);
    Node head;
    do {
      head = submitted;
      node.next = head;
    } while (!SUBMITTED.compareAndSet(this, head, node));
  }

  /**
   * Whether a task waits. Read outside a drain it may see a stale backlog: that costs at most a
   * drain that finds nothing, and a task pushed after the read schedules a drain itself.
   */
  private boolean hasTasks() {
    return submitted != null || backlog != null;
  }

  /** The oldest task not yet run, or null; only while draining. */
  private Runnable poll() {
    if (backlog == null) {
      Node taken = (Node) SUBMITTED.getAndSet(this, null);
      Node oldestFirst = null;
      while (taken != null) {
        Node next = taken.next;
        taken.next = oldestFirst;
        oldestFirst = taken;
        taken = next;
      }
      backlog = oldestFirst;
      if (backlog == null) {
        return null;
      }
    }
    Node first = backlog;
    backlog = first.next;
    return first.task;
  }

  private static final class Node {
    final Runnable task;
    Node next;

    Node(Runnable task) {
      this.task = task;
    }
  }
}
