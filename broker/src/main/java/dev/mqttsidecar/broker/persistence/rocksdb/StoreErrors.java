package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.persistence.StorageException;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Turns storage engine failures into messages an operator can act on. */
final class StoreErrors {
  private StoreErrors() {}

  /** The store could not be opened. */
  static StorageException openFailed(String where, RocksDBException e) {
    Status s = e.getStatus();
    String detail = String.valueOf(e.getMessage());
    if (s != null && s.getCode() == Status.Code.Corruption) {
      return new StorageException(
          "store in "
              + where
              + " is corrupt ("
              + detail
              + "); refusing to start. Restore the"
              + " directory from a backup, or move it away to start with an empty store.",
          e);
    }
    if (s != null && s.getSubCode() == Status.SubCode.NoSpace || detail.contains("No space left")) {
      return new StorageException(
          "disk full: cannot open store in "
              + where
              + " ("
              + detail
              + "); free space and start again.",
          e);
    }
    if (detail.toLowerCase(Locale.ROOT).contains("lock")) {
      return new StorageException(
          "store in "
              + where
              + " is in use by another process (its LOCK file is held: "
              + detail
              + "); stop the other broker or choose another data directory.",
          e);
    }
    return new StorageException(
        "cannot open store in " + where + " (" + detail + "); refusing to start.", e);
  }

  /** A read failed (checksum mismatch, I/O error). */
  static StorageException readFailed(String where, Throwable e) {
    return new StorageException("cannot read store in " + where + " (" + e.getMessage() + ")", e);
  }

  /** A write failed; it was not acknowledged. */
  static StorageException writeFailed(String where, Throwable e) {
    if (e instanceof StorageException se) {
      return se;
    }
    String detail = String.valueOf(e.getMessage());
    if (e instanceof RocksDBException re
        && re.getStatus() != null
        && re.getStatus().getSubCode() == Status.SubCode.NoSpace) {
      return new StorageException(
          "disk full: write to store in " + where + " failed (" + detail + ")", e);
    }
    return new StorageException("write to store in " + where + " failed (" + detail + ")", e);
  }
}
