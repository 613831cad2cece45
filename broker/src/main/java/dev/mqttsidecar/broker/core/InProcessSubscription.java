package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.session.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Handle of an in-process subscription; a no-op once closed or taken over by a newer one. */
final class InProcessSubscription implements Subscription {
  private static final int CLOSE_WAIT_SECONDS = 5;
  private final Session session;
  private final SubscriberOutbound outbound;

  InProcessSubscription(Session session, SubscriberOutbound outbound) {
    this.session = session;
    this.outbound = outbound;
  }

  @Override
  public void pause() {
    if (outbound.isActive()) {
      session.pause();
    }
  }

  @Override
  public void resume() {
    if (outbound.isActive()) {
      session.resume();
    }
  }

  @Override
  public void close() {
    if (outbound.isActive()) {
      outbound.deactivate();
      CompletableFuture<Void> done = session.detach(outbound);
      if (!session.executor().inExecutor()) {
        // Wait briefly so that, once close returns, the subscription no longer matches.
        try {
          done.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          // The detach still happens; only the wait gave up.
        }
      }
    }
  }
}
