package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.persistence.RestoredSession;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Persistent sessions in the {@link Column#SESSIONS} column family: the session record
 * (subscriptions, expiry), its outbound in-flight window and its inbound QoS 2 packet ids.
 *
 * <p>Each change is available as a {@link WriteOp} too, so the broker can make several changes one
 * atomic write with {@link RocksStore#write}: for exactly-once, an inbound QoS 2 PUBLISH's queue
 * appends and its packet id belong in one write, acknowledged (PUBREC) when it is durable.
 */
public final class RocksSessionPersistence implements SessionPersistence {
  private final RocksStore store;

  public RocksSessionPersistence(RocksStore store) {
    this.store = store;
  }

  /** Writes the session record. */
  public static WriteOp saveOp(StoredSession session) {
    return new WriteOp.Put(
        Column.SESSIONS,
        SessionCodec.key(session.key(), SessionCodec.RECORD),
        SessionCodec.encode(session));
  }

  /** Records an inbound QoS 2 packet id as received [MQTT-4.3.3-9]. */
  public static WriteOp inboundQos2Op(String sessionKey, int packetId) {
    return new WriteOp.Put(
        Column.SESSIONS,
        SessionCodec.key(sessionKey, SessionCodec.INBOUND_QOS2, packetId),
        new byte[0]);
  }

  /** Forgets an inbound QoS 2 packet id (PUBREL received). */
  public static WriteOp releaseInboundQos2Op(String sessionKey, int packetId) {
    return new WriteOp.Delete(
        Column.SESSIONS, SessionCodec.key(sessionKey, SessionCodec.INBOUND_QOS2, packetId));
  }

  /** Records (or updates, at PUBREC) an outbound in-flight message. */
  public static WriteOp inflightOp(String sessionKey, StoredInflight entry) {
    return new WriteOp.Put(
        Column.SESSIONS,
        SessionCodec.key(sessionKey, SessionCodec.INFLIGHT, entry.packetId()),
        SessionCodec.encodeInflight(entry));
  }

  /** Forgets a settled outbound message's in-flight entry. */
  public static WriteOp settleOp(String sessionKey, int packetId) {
    return new WriteOp.Delete(
        Column.SESSIONS, SessionCodec.key(sessionKey, SessionCodec.INFLIGHT, packetId));
  }

  /** Removes everything of a session: record, in-flight, inbound ids and its queue. */
  public static List<WriteOp> deleteOps(String sessionKey) {
    return List.of(
        deleteRecordOp(sessionKey),
        new WriteOp.DeleteRange(
            Column.QUEUES, QueueKeys.start(sessionKey), QueueKeys.end(sessionKey)));
  }

  /** Removes a session's record, in-flight entries and inbound ids, not its queue. */
  private static WriteOp deleteRecordOp(String sessionKey) {
    return new WriteOp.DeleteRange(
        Column.SESSIONS, SessionCodec.prefix(sessionKey), SessionCodec.end(sessionKey));
  }

  @Override
  public CompletableFuture<Void> save(StoredSession session) {
    return store.write(List.of(saveOp(session)));
  }

  @Override
  public CompletableFuture<Void> delete(String sessionKey) {
    return store.write(deleteOps(sessionKey));
  }

  @Override
  public CompletableFuture<Void> deleteRecord(String sessionKey) {
    return store.write(List.of(deleteRecordOp(sessionKey)));
  }

  @Override
  public CompletableFuture<Void> rememberInboundQos2(String sessionKey, int packetId) {
    return store.write(List.of(inboundQos2Op(sessionKey, packetId)));
  }

  @Override
  public CompletableFuture<Void> releaseInboundQos2(String sessionKey, int packetId) {
    return store.write(List.of(releaseInboundQos2Op(sessionKey, packetId)));
  }

  @Override
  public CompletableFuture<Void> rememberInflight(String sessionKey, StoredInflight entry) {
    return store.write(List.of(inflightOp(sessionKey, entry)));
  }

  @Override
  public CompletableFuture<Void> forgetInflight(String sessionKey, int packetId) {
    return store.write(List.of(settleOp(sessionKey, packetId)));
  }

  /**
   * Every stored session, for the broker's start. In-flight entries and inbound ids whose session
   * record is missing are skipped.
   */
  public Map<String, RestoredSession> loadSessions() {
    Map<String, StoredSession> records = new LinkedHashMap<>();
    Map<String, LinkedHashSet<Integer>> inbound = new LinkedHashMap<>();
    Map<String, List<StoredInflight>> inflight = new LinkedHashMap<>();
    store.scan(
        Column.SESSIONS,
        null,
        null,
        (key, value) -> {
          String session = SessionCodec.sessionKey(key);
          switch (SessionCodec.kind(key)) {
            case SessionCodec.RECORD -> records.put(session, SessionCodec.decode(session, value));
            case SessionCodec.INFLIGHT ->
                inflight
                    .computeIfAbsent(session, s -> new ArrayList<>())
                    .add(SessionCodec.decodeInflight(SessionCodec.packetId(key), value));
            case SessionCodec.INBOUND_QOS2 ->
                inbound
                    .computeIfAbsent(session, s -> new LinkedHashSet<>())
                    .add(SessionCodec.packetId(key));
            default ->
                throw new StorageException(
                    "unknown session entry kind "
                        + SessionCodec.kind(key)
                        + " in "
                        + store.directory());
          }
        });
    Map<String, RestoredSession> out = new LinkedHashMap<>();
    records.forEach(
        (key, s) ->
            out.put(
                key,
                new RestoredSession(
                    s,
                    inbound.getOrDefault(key, new LinkedHashSet<>()),
                    inflight.getOrDefault(key, List.of()))));
    return out;
  }
}
