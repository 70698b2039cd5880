package io.tributary.storage;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Flush bookkeeping of one log: how many records are unflushed and since when (flush.messages, flush.ms), whether
 * the directory needs an fsync for files created since the last flush, and which segments a flush must fsync.
 * Owner only.
 */
final class FlushTracker {
    private long unflushedRecords;
    private long firstUnflushedAppendMs = -1;
    /** A segment or snapshot file was created since the last flush, so the directory needs an fsync. */
    private boolean directoryDirty;

    void onAppend(int recordCount, long nowMs) {
        if (unflushedRecords == 0) firstUnflushedAppendMs = nowMs;
        unflushedRecords += recordCount;
    }

    /** Everything appended so far is covered by a flush, or was truncated away. */
    void reset() {
        unflushedRecords = 0;
        firstUnflushedAppendMs = -1;
    }

    boolean needsFlush(LogConfig config, long nowMs) {
        if (unflushedRecords == 0) return false;
        return unflushedRecords >= config.flushMessages() || nowMs - firstUnflushedAppendMs >= config.flushMs();
    }

    boolean dueByCount(LogConfig config) {
        return unflushedRecords > 0 && unflushedRecords >= config.flushMessages();
    }

    long millisUntilTimedFlush(LogConfig config, long nowMs) {
        if (unflushedRecords == 0 || config.flushMs() == Long.MAX_VALUE) return -1;
        return Math.max(0, firstUnflushedAppendMs + config.flushMs() - nowMs);
    }

    void directoryChanged() {
        directoryDirty = true;
    }

    /** What one flush covers: the offsets below {@code target}, these segments, and maybe the directory. */
    record Plan(long target, List<LogSegment> toSync, boolean syncDirectory) {
    }

    /**
     * Plans an fsync of everything below {@code upTo} (capped at the log end), taking over the pending directory
     * fsync; null if that is already durable. Once the plan reaches the log end nothing counts as unflushed.
     */
    Plan plan(SegmentList segments, long recoveryPoint, long logEndOffset, long upTo) {
        long target = Math.min(upTo, logEndOffset);
        boolean syncDirectory = directoryDirty;
        if (target >= logEndOffset) reset();
        if (target <= recoveryPoint && !syncDirectory) return null;
        directoryDirty = false;
        return new Plan(target, segmentsToSync(segments, recoveryPoint, target), syncDirectory);
    }

    /**
     * Blocking, any thread: fsyncs the plan's segments and, if due, {@code dir}. Segments closed since the plan
     * (deleted by retention or replaced by the cleaner) have nothing left to make durable and are skipped.
     */
    static void sync(Path dir, Plan plan) throws IOException {
        for (LogSegment segment : plan.toSync()) {
            try {
                segment.flush();
            } catch (ClosedChannelException gone) {
                // Deleted or replaced since the flush was planned.
            }
        }
        if (plan.syncDirectory()) IoUtil.fsyncDirectory(dir);
    }

    /** The segments holding offsets from {@code recoveryPoint} up to (not including) {@code target}. */
    private static List<LogSegment> segmentsToSync(SegmentList segments, long recoveryPoint, long target) {
        List<LogSegment> toSync = new ArrayList<>();
        if (target <= recoveryPoint) return toSync;
        long firstBase = segments.first().baseOffset();
        int from = Math.max(0, segments.floorIndex(Math.max(recoveryPoint - 1, firstBase)));
        int to = Math.max(from, segments.floorIndex(Math.max(target - 1, firstBase)));
        for (int i = from; i <= to; i++) toSync.add(segments.get(i));
        return toSync;
    }
}
