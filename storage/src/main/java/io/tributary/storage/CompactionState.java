package io.tributary.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * What the log keeps for {@link LogCleaner}: where the dirty part starts (in the shared offsets), the latest delete
 * horizon, and the clean in progress, which holds off retention and must be abandoned by a truncation. Owner only.
 */
final class CompactionState {
    private final Path dir;
    private final LogOffsets offsets;
    private final SegmentList segments;
    /** Latest delete horizon the cleaner stamped: once passed, expired tombstones make the log worth cleaning. */
    private long deleteHorizonMs;
    /** The clean in progress, or null. While set, segments are neither deleted nor truncated away under it. */
    private LogCleaner.CleanTask activeClean;

    CompactionState(Path dir, LogOffsets offsets, SegmentList segments, long deleteHorizonMs) {
        this.dir = dir;
        this.offsets = offsets;
        this.segments = segments;
        this.deleteHorizonMs = deleteHorizonMs;
    }

    /** Everything below this has been compacted; cleaning starts its dedupe pass here. */
    long firstDirtyOffset() {
        return offsets.firstDirtyOffset;
    }

    long deleteHorizonMs() {
        return deleteHorizonMs;
    }

    LogCleaner.CleanTask activeClean() {
        return activeClean;
    }

    void activeClean(LogCleaner.CleanTask task) {
        activeClean = task;
    }

    boolean inProgress() {
        return activeClean != null;
    }

    /** Before a truncation: a clean in progress gives up; one already swapping its segments in cannot. */
    void abortForTruncation() {
        if (activeClean != null) {
            activeClean.abort();
            if (activeClean.isSwapping()) {
                throw new IllegalStateException("cannot truncate " + dir + " while a compaction swap is being applied");
            }
        }
    }

    /** After a swap: the cleaned segments replace the first {@code count} segments. */
    void replaceSegments(int count, List<LogSegment> cleaned, long newFirstDirty, long newDeleteHorizonMs) {
        List<LogSegment> rest = segments.removeFrom(count);
        segments.removeFrom(0);
        for (LogSegment s : cleaned) segments.add(s);
        for (LogSegment s : rest) segments.add(s);
        offsets.firstDirtyOffset = Math.max(newFirstDirty, offsets.logStartOffset);
        deleteHorizonMs = newDeleteHorizonMs;
    }
}
