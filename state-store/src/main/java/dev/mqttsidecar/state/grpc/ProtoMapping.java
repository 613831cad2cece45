package dev.mqttsidecar.state.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.state.Precondition;
import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StateOp;
import dev.mqttsidecar.state.Ttl;
import dev.mqttsidecar.state.query.QueryParser;
import dev.mqttsidecar.state.query.SortKey;
import dev.mqttsidecar.state.query.StateQuery;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Converts between Dapr's state messages and the domain's values. */
final class ProtoMapping {
  /** Response metadata key with the expiry of a value that has a TTL (RFC 3339, UTC). */
  static final String TTL_EXPIRE_TIME = "ttlExpireTime";

  /** Request metadata key daprd may use for the content type. */
  static final String CONTENT_TYPE = "contentType";

  private ProtoMapping() {}

  /**
   * @throws StateException for an invalid ETag or TTL
   */
  static StateOp.Put put(State.SetRequest r) {
    String contentType = r.getContentType();
    if (contentType.isEmpty()) {
      contentType = r.getMetadataOrDefault(CONTENT_TYPE, "");
    }
    return new StateOp.Put(
        r.getKey(),
        r.getValue().toByteArray(),
        contentType.isEmpty() ? null : contentType,
        Ttl.from(r.getMetadataMap()),
        precondition(r.getKey(), r.hasEtag() ? r.getEtag().getValue() : null, r.getOptions()));
  }

  /**
   * @throws StateException for an invalid ETag
   */
  static StateOp.Remove remove(State.DeleteRequest r) {
    return new StateOp.Remove(
        r.getKey(),
        precondition(r.getKey(), r.hasEtag() ? r.getEtag().getValue() : null, r.getOptions()));
  }

  /**
   * @throws StateException for an empty operation or an invalid ETag or TTL
   */
  static StateOp op(State.TransactionalStateOperation o) {
    return switch (o.getRequestCase()) {
      case SET -> put(o.getSet());
      case DELETE -> remove(o.getDelete());
      case REQUEST_NOT_SET ->
          throw StateException.invalid("transaction operation has neither set nor delete");
    };
  }

  private static Precondition precondition(String key, String etag, State.StateOptions options) {
    boolean firstWrite =
        options.getConcurrency() == State.StateOptions.StateConcurrency.CONCURRENCY_FIRST_WRITE;
    return Precondition.of(key, etag, firstWrite);
  }

  static State.GetResponse getResponse(Optional<StateEntry> found) {
    if (found.isEmpty()) {
      return State.GetResponse.getDefaultInstance();
    }
    StateEntry e = found.get();
    State.GetResponse.Builder b =
        State.GetResponse.newBuilder().setData(bytes(e.value())).setEtag(etag(e.etag()));
    if (e.contentType() != null) {
      b.setContentType(e.contentType());
    }
    if (e.expiresAt() != null) {
      b.putMetadata(TTL_EXPIRE_TIME, rfc3339(e.expiresAt()));
    }
    return b.build();
  }

  static State.BulkStateItem bulkItem(String key, Optional<StateEntry> found) {
    State.BulkStateItem.Builder b = State.BulkStateItem.newBuilder().setKey(key);
    found.ifPresent(
        e -> {
          b.setData(bytes(e.value())).setEtag(etag(e.etag()));
          if (e.contentType() != null) {
            b.setContentType(e.contentType());
          }
          if (e.expiresAt() != null) {
            b.putMetadata(TTL_EXPIRE_TIME, rfc3339(e.expiresAt()));
          }
        });
    return b.build();
  }

  static State.QueryItem queryItem(StateEntry e) {
    State.QueryItem.Builder b =
        State.QueryItem.newBuilder()
            .setKey(e.key())
            .setData(bytes(e.value()))
            .setEtag(etag(e.etag()));
    if (e.contentType() != null) {
      b.setContentType(e.contentType());
    }
    return b.build();
  }

  /**
   * @throws StateException INVALID_ARGUMENT for a malformed query
   */
  static StateQuery query(State.Query q) {
    Map<String, byte[]> filter = new LinkedHashMap<>();
    q.getFilterMap().forEach((op, operand) -> filter.put(op, operand.getValue().toByteArray()));
    List<SortKey> sort = new ArrayList<>();
    for (State.Sorting s : q.getSortList()) {
      if (s.getKey().isEmpty()) {
        throw StateException.invalid("invalid query: every sort entry needs a non-empty key");
      }
      sort.add(new SortKey(s.getKey(), s.getOrder() == State.Sorting.Order.DESC));
    }
    return new StateQuery(
        QueryParser.filter(filter),
        sort,
        q.getPagination().getLimit(),
        q.getPagination().getToken());
  }

  /** Go's {@code time.RFC3339} layout in UTC, as Dapr's stores write it: whole seconds, "Z". */
  static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static State.Etag etag(String value) {
    return State.Etag.newBuilder().setValue(value).build();
  }

  /** Wraps without copying: entry values are already private copies. */
  private static ByteString bytes(byte[] value) {
    return UnsafeByteOperations.unsafeWrap(value);
  }
}
