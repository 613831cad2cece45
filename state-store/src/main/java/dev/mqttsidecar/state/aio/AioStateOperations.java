package dev.mqttsidecar.state.aio;

import dev.mqttsidecar.state.Precondition;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateError;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StateOp;
import dev.mqttsidecar.state.WriteOutcome;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs SET, GET, DEL and VDEL on a retained-topic state store and writes the protocol's answers.
 * Every write is one conditional write of the store, so each command is atomic per key exactly as
 * the Dapr state operations are: a condition on the current value becomes the ETag of the value
 * that was compared, and a concurrent change in between fails the write instead of overwriting it.
 */
public final class AioStateOperations {
  /** A DEL that keeps losing to concurrent writers gives up after this many reads. */
  private static final int MAX_ATTEMPTS = 8;

  private static final byte[] NOT_APPLIED = Resp3.integer(-1);

  private final RetainedStateStore store;

  public AioStateOperations(RetainedStateStore store) {
    this.store = store;
  }

  /**
   * The answer to {@code command} (never KEYNOTIFY); a store refusal is an {@code -ERR} answer.
   *
   * @throws AioCommand.Refused for a key the store cannot hold
   */
  public CompletableFuture<byte[]> run(AioCommand command) throws AioCommand.Refused {
    String key = keyText(command.key());
    try {
      if (command instanceof AioCommand.Get) {
        return CompletableFuture.completedFuture(get(key));
      }
      if (command instanceof AioCommand.Set set) {
        return set(key, set);
      }
      if (command instanceof AioCommand.Del) {
        return delete(key, null, 1);
      }
      if (command instanceof AioCommand.VDel vdel) {
        return delete(key, vdel.value(), 1);
      }
      throw new IllegalArgumentException(command.getClass().getSimpleName() + " is not run here");
    } catch (StateException e) {
      return CompletableFuture.completedFuture(Resp3.error(e.error().message()));
    }
  }

  private byte[] get(String key) {
    return store.get(key).map(e -> Resp3.bulk(e.value())).orElseGet(Resp3::nullBulk);
  }

  private CompletableFuture<byte[]> set(String key, AioCommand.Set set) {
    Precondition precondition;
    if (set.condition() == AioCommand.Condition.ALWAYS) {
      precondition = new Precondition.None();
    } else if (set.condition() == AioCommand.Condition.ABSENT) {
      precondition = new Precondition.Absent();
    } else {
      Optional<StateEntry> current = store.get(key);
      byte[] required =
          set.condition() == AioCommand.Condition.VALUE_EQUALS ? set.expected() : set.value();
      if (current.isEmpty()) {
        if (set.condition() == AioCommand.Condition.VALUE_EQUALS) {
          return CompletableFuture.completedFuture(NOT_APPLIED);
        }
        precondition = new Precondition.Absent();
      } else if (Arrays.equals(current.get().value(), required)) {
        precondition = new Precondition.Version(Long.parseLong(current.get().etag()));
      } else {
        return CompletableFuture.completedFuture(NOT_APPLIED);
      }
    }
    StateOp.Put put = new StateOp.Put(key, set.value(), null, set.ttl(), precondition);
    return store
        .apply(List.of(put))
        .thenApply(
            outcome ->
                outcome instanceof WriteOutcome.Failed failed
                    ? refusal(failed.error())
                    : Resp3.ok());
  }

  /** DEL when {@code expected} is null, VDEL otherwise: read, then delete that very version. */
  private CompletableFuture<byte[]> delete(String key, byte[] expected, int attempt) {
    Optional<StateEntry> current = store.get(key);
    if (current.isEmpty()) {
      return CompletableFuture.completedFuture(Resp3.integer(0));
    }
    if (expected != null && !Arrays.equals(current.get().value(), expected)) {
      return CompletableFuture.completedFuture(NOT_APPLIED);
    }
    long version = Long.parseLong(current.get().etag());
    StateOp.Remove remove = new StateOp.Remove(key, new Precondition.Version(version));
    return store
        .apply(List.of(remove))
        .thenCompose(
            outcome -> {
              if (outcome instanceof WriteOutcome.Failed failed) {
                if (failed.error() instanceof StateError.EtagMismatch && attempt < MAX_ATTEMPTS) {
                  // Changed since the read: decide again on what is there now.
                  return delete(key, expected, attempt + 1);
                }
                return CompletableFuture.completedFuture(refusal(failed.error()));
              }
              return CompletableFuture.completedFuture(Resp3.integer(1));
            });
  }

  private static byte[] refusal(StateError error) {
    if (error instanceof StateError.EtagMismatch) {
      // The condition did not hold (or stopped holding): the protocol's "not applied".
      return NOT_APPLIED;
    }
    if (error instanceof StateError.QuotaExceeded) {
      return Resp3.error("the quota has been exceeded");
    }
    return Resp3.error(error.message());
  }

  /**
   * The key as this store's text key: keys are UTF-8 text here, since they become topic levels.
   *
   * @throws AioCommand.Refused for bytes that are not UTF-8
   */
  static String keyText(byte[] key) throws AioCommand.Refused {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AioCommand.Refused(
          "the key is not valid UTF-8: this store keeps keys as MQTT topic levels, which are text");
    }
  }
}
