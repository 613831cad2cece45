package dev.mqttsidecar.broker;

import java.util.List;

/**
 * The outcome of {@link RetainedStore#write}: either every write was applied, or none was.
 *
 * @param status what happened
 * @param failedIndex for {@link Status#CONFLICT}, the index of the first write whose condition
 *     failed; else -1
 * @param versions for {@link Status#APPLIED}, the new version of each write (0 for a delete)
 * @param reason a detail for failures, or empty
 */
public record RetainedWriteResult(
    Status status, int failedIndex, List<Long> versions, String reason) {

  public enum Status {
    APPLIED,
    /** An expected version did not match; nothing was written. */
    CONFLICT,
    /** A topic or message was invalid (topic syntax, size); nothing was written. */
    INVALID,
    /** Storage failed; nothing was acknowledged. */
    STORAGE_FAILED,
    /** More writes wait for the disk than the store accepts; nothing was written, retry later. */
    STORAGE_BUSY,
    /**
     * Together the writes would pass {@link Quotas#maxRetainedMessages} or {@link
     * Quotas#maxRetainedBytes}; nothing was written. The reason names the quota.
     */
    QUOTA_EXCEEDED
  }

  public RetainedWriteResult {
    versions = List.copyOf(versions);
  }

  public boolean applied() {
    return status == Status.APPLIED;
  }
}
