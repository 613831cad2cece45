package dev.mqttsidecar.broker.persistence.rocksdb;

import java.util.Objects;

/** One change inside an atomic write. Byte arrays are owned by the op once built. */
public sealed interface WriteOp {

  /** The column family changed. */
  Column column();

  /** Sets {@code key} to {@code value}. */
  record Put(Column column, byte[] key, byte[] value) implements WriteOp {
    public Put {
      Objects.requireNonNull(column);
      Objects.requireNonNull(key);
      Objects.requireNonNull(value);
    }
  }

  /** Removes {@code key}. */
  record Delete(Column column, byte[] key) implements WriteOp {
    public Delete {
      Objects.requireNonNull(column);
      Objects.requireNonNull(key);
    }
  }

  /** Removes every key in {@code [from, to)}. */
  record DeleteRange(Column column, byte[] from, byte[] to) implements WriteOp {
    public DeleteRange {
      Objects.requireNonNull(column);
      Objects.requireNonNull(from);
      Objects.requireNonNull(to);
    }
  }

  /** Approximate bytes this op adds to a write batch. */
  default int weight() {
    if (this instanceof Put p) {
      return p.key().length + p.value().length + 16;
    }
    if (this instanceof DeleteRange r) {
      return r.from().length + r.to().length + 16;
    }
    return ((Delete) this).key().length + 16;
  }
}
