package dev.mqttsidecar.broker.persistence.rocksdb;

import java.util.List;

/** Where the {@link GroupCommitWriter} puts merged writes: the storage engine, or a test double. */
interface CommitSink {

  /**
   * Applies {@code ops} atomically. With {@code sync}, returns only once they are on stable
   * storage. Throws if nothing, or not all, was written.
   */
  void commit(List<WriteOp> ops, boolean sync) throws Exception;

  /** Forces everything committed so far to stable storage. */
  void sync() throws Exception;
}
