package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.session.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches an accepted CONNECT's session (and so sends CONNACK) once what CONNACK acknowledges is
 * durable: the record of a session that outlives its connection, and the connection's will. A crash
 * right after CONNACK must forget neither. Without such writes it attaches at once, on the calling
 * event loop.
 */
final class DurableAttach {
  private static final Logger LOG = LoggerFactory.getLogger(DurableAttach.class);

  private DurableAttach() {}

  /**
   * @param expiry the session's expiry interval; zero: the session ends with the connection and has
   *     no record
   * @param willStored completes when the will (or its deletion) is durable
   * @param attach attaches the session and sends CONNACK, on the connection's event loop
   */
  static void afterWrites(
      MqttConnection conn,
      Session session,
      Duration expiry,
      CompletableFuture<Void> willStored,
      Runnable attach) {
    if (expiry.isZero() && willStored.isDone() && !willStored.isCompletedExceptionally()) {
      attach.run();
      return;
    }
    // Both writes are submitted together, so the store commits them in one group.
    CompletableFuture<Void> recordStored =
        expiry.isZero() ? CompletableFuture.completedFuture(null) : session.storeRecord();
    recordStored
        .handle((v, e) -> e)
        .thenCombine(
            willStored.handle((v, e) -> e),
            (recordFailure, willFailure) -> {
              conn.onEventLoop(
                  () -> attachStored(conn, session, attach, recordFailure, willFailure));
              return null;
            });
  }

  private static void attachStored(
      MqttConnection conn,
      Session session,
      Runnable attach,
      Throwable recordFailure,
      Throwable willFailure) {
    if (recordFailure != null) {
      LOG.error("{}: session record not stored", conn.clientId, recordFailure);
    }
    if (willFailure != null) {
      LOG.error(
          "{}: will not stored; it is still published if the connection ends, but not after a"
              + " crash",
          conn.clientId,
          willFailure);
    }
    attach.run();
    if (!conn.channel.isActive()) {
      // Closed while the writes ran: its detach found nothing attached, so the session goes
      // offline here and its expiry starts.
      session.detach(conn.outbound);
    }
  }
}
