package io.tributary.storage;

/**
 * The moving positions of one partition log, shared by the parts that move them (appends, truncation, the log
 * start). Owner only.
 */
final class LogOffsets {
    long logStartOffset;
    long logEndOffset;
    /** Every offset below this is fsynced. */
    long recoveryPoint;
    /** Everything below this has been compacted; cleaning starts its dedupe pass here. */
    long firstDirtyOffset;

    LogOffsets(long logStartOffset, long logEndOffset, long recoveryPoint, long firstDirtyOffset) {
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
        this.recoveryPoint = recoveryPoint;
        this.firstDirtyOffset = firstDirtyOffset;
    }
}
