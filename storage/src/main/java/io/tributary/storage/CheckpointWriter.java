package io.tributary.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The persisted half of a log's positions: what {@code partition.checkpoint} says. The owner moves the log start
 * offset; background flushes (worker threads) move the recovery point once their fsync is done. Writes are
 * serialised by this object's monitor and always write the newest values, so the file never goes backwards however
 * the owner and the workers interleave. A truncation bumps the epoch: a flush that began before it cannot then
 * raise the recovery point above data that was cut off and rewritten since.
 */
final class CheckpointWriter {
    private final Path dir;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile int epoch;

    CheckpointWriter(Path dir, long logStartOffset, long recoveryPoint) {
        this.dir = dir;
        this.logStartOffset = logStartOffset;
        this.recoveryPoint = recoveryPoint;
    }

    int epoch() {
        return epoch;
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    long logStartOffset() {
        return logStartOffset;
    }

    /** Owner: the log start moved (retention, DeleteRecords). Persisted by the next {@link #write()}. */
    synchronized void logStartOffset(long offset) {
        logStartOffset = Math.max(logStartOffset, offset);
    }

    /** Owner: a truncation or a full reset; the values may go down, and in-flight flushes no longer count. */
    synchronized void reset(long newLogStartOffset, long newRecoveryPoint) {
        epoch++;
        logStartOffset = newLogStartOffset;
        recoveryPoint = newRecoveryPoint;
    }

    /**
     * Worker, after an fsync that made everything below {@code target} durable: raises the recovery point unless a
     * truncation happened since the flush was planned. Returns whether it did.
     */
    synchronized boolean advanceRecoveryPoint(long target, int flushEpoch) {
        if (flushEpoch != epoch || target <= recoveryPoint) return false;
        recoveryPoint = target;
        return true;
    }

    /** Blocking: replaces the checkpoint file with the current values. */
    synchronized void write() throws IOException {
        new Checkpoint(logStartOffset, recoveryPoint).write(dir);
    }
}
