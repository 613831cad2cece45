package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Session records in memory only: records each write as a line ({@code save k}, {@code delete k},
 * {@code inflight k 1 seq 7}, {@code inflight k 1 seq 7 pubrec}, {@code forget inflight k 1}, ...)
 * and keeps the last record saved. In-flight writes may be held back to stay pending.
 */
final class RecordingSessionStore implements SessionPersistence {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private final List<String> writes = new ArrayList<>();
  private final List<CompletableFuture<Void>> held = new ArrayList<>();
  private boolean holdInflight;
  private StoredSession lastSaved;

  List<String> take() {
    List<String> taken = List.copyOf(writes);
    writes.clear();
    return taken;
  }

  StoredSession lastSaved() {
    return lastSaved;
  }

  /** From now on {@link #rememberInflight} completes only with {@link #completeHeld}. */
  void holdInflightWrites() {
    holdInflight = true;
  }

  void completeHeld() {
    holdInflight = false;
    List<CompletableFuture<Void>> now = List.copyOf(held);
    held.clear();
    now.forEach(f -> f.complete(null));
  }

  @Override
  public CompletableFuture<Void> save(StoredSession session) {
    writes.add("save " + session.key());
    lastSaved = session;
    return DONE;
  }

  @Override
  public CompletableFuture<Void> delete(String sessionKey) {
    writes.add("delete " + sessionKey);
    return DONE;
  }

  @Override
  public CompletableFuture<Void> deleteRecord(String sessionKey) {
    writes.add("delete record " + sessionKey);
    return DONE;
  }

  @Override
  public CompletableFuture<Void> rememberInboundQos2(String sessionKey, int packetId) {
    writes.add("inbound " + sessionKey + " " + packetId);
    return DONE;
  }

  @Override
  public CompletableFuture<Void> releaseInboundQos2(String sessionKey, int packetId) {
    writes.add("release inbound " + sessionKey + " " + packetId);
    return DONE;
  }

  @Override
  public CompletableFuture<Void> rememberInflight(String sessionKey, StoredInflight entry) {
    writes.add(
        "inflight "
            + sessionKey
            + " "
            + entry.packetId()
            + " seq "
            + entry.sequence()
            + (entry.pubrecReceived() ? " pubrec" : ""));
    if (!holdInflight) {
      return DONE;
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    held.add(f);
    return f;
  }

  @Override
  public CompletableFuture<Void> forgetInflight(String sessionKey, int packetId) {
    writes.add("forget inflight " + sessionKey + " " + packetId);
    return DONE;
  }
}
