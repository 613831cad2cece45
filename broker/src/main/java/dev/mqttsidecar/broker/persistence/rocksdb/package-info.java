/**
 * The broker's durable storage on RocksDB.
 *
 * <p>{@link dev.mqttsidecar.broker.persistence.rocksdb.RocksStorage} implements the persistence API
 * for the durable modes ({@code fsync}, {@code periodic}): it opens one {@link
 * dev.mqttsidecar.broker.persistence.rocksdb.RocksStore} in the data directory with a column family
 * per kind of data (retained, queues, sessions, meta) and a format version in {@code meta}.
 *
 * <p>Every write goes through one {@link
 * dev.mqttsidecar.broker.persistence.rocksdb.GroupCommitWriter}: writes waiting while a sync runs
 * are merged into the next batch, so concurrent writers share fsyncs; a write's future completes
 * only when it is durable and fails (never acknowledges) when the disk refuses it. The queue of
 * waiting writes is bounded and a full queue refuses new writes at once rather than block.
 *
 * <p>Opening refuses, with a message naming the directory, anything it cannot prove to be this
 * broker's intact store: foreign files, a corrupt store, another format version, a store locked by
 * another process. It never starts empty over existing data.
 */
package dev.mqttsidecar.broker.persistence.rocksdb;
