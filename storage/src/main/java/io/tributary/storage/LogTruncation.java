package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Moves the log's boundaries and brings everything derived from its contents along: cutting the tail (a follower's
 * divergent records, Kafka's truncateTo), restarting empty at an offset (truncateFullyAndStartAt), and moving the
 * log start up (retention, DeleteRecords). Producer state, transactions, leader epochs, the high watermark and the
 * checkpoint follow. Owner only; the caller has already dealt with a clean in progress.
 */
final class LogTruncation {
    private static final Logger log = LoggerFactory.getLogger(LogTruncation.class);

    private final Path dir;
    private final LogOffsets offsets;
    private final SegmentList segments;
    private final BatchScanner lookup;
    private final FlushTracker flushes;
    private final CheckpointWriter checkpoints;
    private final ProducerStateManager producers;
    private final PartitionTransactions transactions;
    private final ProducerStateLoader producerState;
    private final LeaderEpochCache epochs;
    private final HighWatermarkCheckpoint highWatermark;

    LogTruncation(Path dir, LogOffsets offsets, SegmentList segments, BatchScanner lookup, FlushTracker flushes,
                  CheckpointWriter checkpoints, ProducerStateManager producers, PartitionTransactions transactions,
                  ProducerStateLoader producerState, LeaderEpochCache epochs, HighWatermarkCheckpoint highWatermark) {
        this.dir = dir;
        this.offsets = offsets;
        this.segments = segments;
        this.lookup = lookup;
        this.flushes = flushes;
        this.checkpoints = checkpoints;
        this.producers = producers;
        this.transactions = transactions;
        this.producerState = producerState;
        this.epochs = epochs;
        this.highWatermark = highWatermark;
    }

    /** Removes every batch holding an offset >= {@code offset}, which lies within the first segment or above. */
    void truncateTo(long offset) throws IOException {
        int holder = segments.floorIndex(offset);
        int firstDropped = holder > 0 && segments.get(holder).baseOffset() == offset ? holder : holder + 1;
        for (LogSegment s : segments.removeFrom(firstDropped)) s.delete();
        LogSegment active = segments.last();
        active.unseal();
        long cut = active.truncateTo(offset, lookup);
        long end = cut >= 0 ? cut : active.readNextOffset(lookup);
        offsets.logEndOffset = end;
        offsets.logStartOffset = Math.min(offsets.logStartOffset, end);
        offsets.recoveryPoint = Math.min(offsets.recoveryPoint, end);
        offsets.firstDirtyOffset = Math.min(offsets.firstDirtyOffset, end);
        flushes.reset();
        ProducerStateSnapshot.deleteAbove(dir, end);
        producerState.rebuild(end);
        epochs.truncateFromEnd(end);
        if (highWatermark.get() > end) highWatermark.set(end);
        // A stale higher recovery point would let a crash skip scanning data appended after this.
        checkpoints.reset(offsets.logStartOffset, offsets.recoveryPoint);
        checkpoints.write();
        log.info("Truncated {} to offset {} (asked for {})", dir, end, offset);
    }

    /** Deletes every segment and restarts the log empty at {@code offset}, forgetting all derived state. */
    void truncateFullyAndStartAt(long offset, int indexIntervalBytes, long nowMs) throws IOException {
        for (LogSegment s : segments.removeFrom(0)) s.delete();
        segments.add(LogSegment.create(dir, offset, indexIntervalBytes, nowMs));
        offsets.logStartOffset = offset;
        offsets.logEndOffset = offset;
        offsets.recoveryPoint = offset;
        offsets.firstDirtyOffset = offset;
        flushes.reset();
        ProducerStateSnapshot.deleteAll(dir);
        producers.clear();
        transactions.deleteAll();
        epochs.clear();
        highWatermark.set(offset);
        IoUtil.fsyncDirectory(dir);
        checkpoints.reset(offset, offset);
        checkpoints.write();
        log.info("Truncated {} fully; it restarts at offset {}", dir, offset);
    }

    /**
     * The log start moves up to {@code offset} after the first {@code segmentCount} segments were taken out (the
     * returned list, for the caller's deletion task): the cleaner, transactions and leader epochs forget what is
     * below, and the high watermark is at least there. The files are written by the deletion task.
     */
    List<LogSegment> moveLogStart(long offset, int segmentCount) {
        List<LogSegment> doomed = segments.removeFirst(segmentCount);
        offsets.logStartOffset = Math.max(offsets.logStartOffset, offset);
        offsets.firstDirtyOffset = Math.max(offsets.firstDirtyOffset, offsets.logStartOffset);
        checkpoints.logStartOffset(offsets.logStartOffset);
        transactions.deleteBelow(offsets.logStartOffset);
        epochs.truncateFromStart(offsets.logStartOffset);
        if (highWatermark.get() < offsets.logStartOffset) highWatermark.set(offsets.logStartOffset);
        return doomed;
    }
}
