package io.tributary.storage;

/**
 * The outcome of {@link PartitionLog#append}.
 *
 * @param baseOffset     offset given to the first record of the append (of the original append if a duplicate)
 * @param lastOffset     offset given to the last record
 * @param logAppendTime  the broker time stamped into the batches with LogAppendTime, else -1
 * @param logStartOffset the log start offset after the append
 * @param recordCount    number of records appended (or originally appended, for a duplicate)
 * @param duplicate      true if an idempotent producer resent a batch already in the log; nothing was written
 */
public record AppendResult(long baseOffset, long lastOffset, long logAppendTime, long logStartOffset,
                           int recordCount, boolean duplicate) {
}
