package dev.mqttsidecar.broker.persistence.rocksdb;

/**
 * Counters of a {@link GroupCommitWriter}, for tests and metrics.
 *
 * @param writes writes submitted and accepted into the queue
 * @param commits merged disk writes (each holds one or more writes)
 * @param syncs fsyncs of the write-ahead log
 * @param failures merged disk writes that failed (their writes were not acknowledged)
 * @param refused writes refused because the queue was full or the store closed
 */
public record WriterStats(long writes, long commits, long syncs, long failures, long refused) {}
