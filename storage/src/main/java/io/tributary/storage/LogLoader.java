package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens a partition directory: removes stray files, opens the segments, and after an unclean stop scans them from
 * the last fsynced position (the recovery point) to cut off a torn or corrupt tail. With the clean-shutdown marker
 * the segments are trusted and only indexes that fail their sanity checks are rebuilt.
 */
final class LogLoader {
    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);
    private static final int RECOVERY_BUFFER_BYTES = 1024 * 1024;

    /** The opened log and what loading it took, for logs and tests. */
    record Result(SegmentList segments, long logStartOffset, long logEndOffset, long recoveryPoint,
                  boolean cleanShutdown, int segmentsScanned, long bytesTruncated, int segmentsDeleted,
                  CleanerCheckpoint cleaner, boolean swapCompleted) {
    }

    private final Path dir;
    private final LogConfig config;
    private final long nowMs;
    private final SegmentList segments = new SegmentList();
    private final SegmentRecovery recovery = new SegmentRecovery(RECOVERY_BUFFER_BYTES);
    private int segmentsScanned;
    private long bytesTruncated;
    private int segmentsDeleted;
    private boolean swapCompleted;
    private CleanerCheckpoint cleaner = CleanerCheckpoint.NONE;

    private LogLoader(Path dir, LogConfig config, long nowMs) {
        this.dir = dir;
        this.config = config;
        this.nowMs = nowMs;
    }

    static Result load(Path dir, LogConfig config, long nowMs) throws IOException {
        LogLoader loader = new LogLoader(dir, config, nowMs);
        try {
            return loader.load();
        } catch (IOException | RuntimeException e) {
            for (LogSegment s : loader.segments) {
                try {
                    s.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private Result load() throws IOException {
        if (!Files.isDirectory(dir)) Files.createDirectories(dir);
        CleanShutdownMarker marker = CleanShutdownMarker.read(dir);
        Optional<Checkpoint> checkpoint = Checkpoint.read(dir);
        // Before strays go: a committed compaction swap still needs its .cleaned files.
        swapCompleted = SwapIntent.rollForward(dir);
        cleaner = CleanerCheckpoint.read(dir);
        List<Long> bases = listSegmentsAndRemoveStrays();
        boolean clean = marker != null && !swapCompleted && marker.matches(dir, bases);
        if (marker != null && !clean) {
            log.warn("Partition log {} has a clean-shutdown marker that does not match its segments; recovering it", dir);
        }
        long checkpointStart = checkpoint.map(Checkpoint::logStartOffset).orElse(bases.isEmpty() ? 0L : bases.get(0));
        dropSegmentsBelow(bases, checkpointStart);

        if (bases.isEmpty()) {
            segments.add(LogSegment.create(dir, checkpointStart, config.indexIntervalBytes(), nowMs));
            return new Result(segments, checkpointStart, checkpointStart, checkpointStart, clean, 0, 0, 0, cleaner,
                    swapCompleted);
        }
        for (int i = 0; i < bases.size(); i++) {
            boolean last = i == bases.size() - 1;
            segments.add(LogSegment.open(dir, bases.get(i), config.indexIntervalBytes(), nowMs, !last,
                    last ? Long.MAX_VALUE : bases.get(i + 1)));
        }
        long firstBase = segments.first().baseOffset();
        long persistedRecoveryPoint = checkpoint.map(Checkpoint::recoveryPoint).orElse(firstBase);
        // Start at the segment holding the last fsynced offset: its data is durable, but its final index entries
        // may have been written (at roll) after that fsync.
        int firstToScan = clean ? segments.size()
                : Math.max(0, segments.floorIndex(Math.max(persistedRecoveryPoint - 1, firstBase)));
        if (!clean) {
            log.info("Partition log {} was not shut down cleanly; checking segments from offset {}", dir,
                    segments.get(firstToScan).baseOffset());
        }
        scanSegments(firstToScan);
        long logEnd = logEndOffset();
        for (int i = 0; i < segments.size() - 1; i++) segments.get(i).seal();
        segments.last().unseal();

        long logStart = Math.min(Math.max(checkpointStart, segments.first().baseOffset()), logEnd);
        long recoveryPoint = clean ? logEnd : Math.max(logStart, Math.min(persistedRecoveryPoint, logEnd));
        return new Result(segments, logStart, logEnd, recoveryPoint, clean, segmentsScanned, bytesTruncated,
                segmentsDeleted, cleaner, swapCompleted);
    }

    /** Recovers segments from {@code firstToScan}, and any earlier one whose indexes need a rebuild. */
    private void scanSegments(int firstToScan) throws IOException {
        long expected = -1;
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            if (i < firstToScan && !segment.indexesNeedRebuild()) {
                expected = -1;
                continue;
            }
            if (i < firstToScan) log.warn("Rebuilding missing or corrupt indexes of {} in {}", segment, dir);
            SegmentRecovery.Outcome outcome = recovery.recover(segment, expected);
            segmentsScanned++;
            if (!outcome.truncated()) {
                expected = outcome.nextOffset();
                continue;
            }
            bytesTruncated += outcome.truncatedBytes();
            // An emptied segment other than the first would sit below its predecessor's end: drop it too.
            int firstDropped = segment.isEmpty() && i > 0 ? i : i + 1;
            List<LogSegment> dropped = segments.removeFrom(firstDropped);
            log.warn("Partition log {}: truncated {} at byte {} (next offset {}), dropping {} bytes: {}{}", dir,
                    segment.logPath().getFileName(), outcome.validBytes(), outcome.nextOffset(),
                    outcome.truncatedBytes(), outcome.problem(),
                    dropped.isEmpty() ? "" : "; deleted the " + dropped.size() + " segment(s) from offset "
                            + dropped.get(0).baseOffset() + " on");
            for (LogSegment s : dropped) {
                if (s != segment) bytesTruncated += s.size();
                s.delete();
                segmentsDeleted++;
            }
            return;
        }
    }

    /** The end of the last segment, found from its last index entry; a tail that does not parse is recovered. */
    private long logEndOffset() throws IOException {
        LogSegment last = segments.last();
        BatchScanner scanner = recovery.scanner();
        long next = last.readNextOffset(scanner);
        if (scanner.stopReason() == null) return next;
        log.warn("Partition log {}: the tail of {} does not parse ({}); recovering it", dir, last, scanner.stopReason());
        SegmentRecovery.Outcome outcome = recovery.recover(last, last.baseOffset());
        segmentsScanned++;
        bytesTruncated += outcome.truncatedBytes();
        return outcome.nextOffset();
    }

    /** Segment base offsets, ascending; deletes stray files and indexes whose log file is gone. */
    private List<Long> listSegmentsAndRemoveStrays() throws IOException {
        TreeSet<Long> bases = new TreeSet<>();
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (LogFiles.isStray(name)) {
                    log.info("Removing stray file {}", f);
                    Files.deleteIfExists(f);
                } else if (LogFiles.offsetOf(name, LogSegment.LOG_SUFFIX) >= 0) {
                    bases.add(LogFiles.offsetOf(name, LogSegment.LOG_SUFFIX));
                } else if (LogFiles.offsetOf(name, LogSegment.INDEX_SUFFIX) >= 0
                        || LogFiles.offsetOf(name, LogSegment.TIME_INDEX_SUFFIX) >= 0) {
                    indexes.add(f);
                }
            }
        }
        Set<Long> live = new HashSet<>(bases);
        for (Path f : indexes) {
            String name = f.getFileName().toString();
            long base = Math.max(LogFiles.offsetOf(name, LogSegment.INDEX_SUFFIX),
                    LogFiles.offsetOf(name, LogSegment.TIME_INDEX_SUFFIX));
            if (!live.contains(base)) {
                log.info("Removing index {} whose log segment is gone", f);
                Files.deleteIfExists(f);
            }
        }
        return new ArrayList<>(bases);
    }

    /** Finishes a segment deletion a crash interrupted: segments wholly below the log start offset go. */
    private void dropSegmentsBelow(List<Long> bases, long logStartOffset) throws IOException {
        while (bases.size() > 1 && bases.get(1) <= logStartOffset) {
            long base = bases.remove(0);
            log.info("Deleting segment {} of {}: it is below the log start offset {}", base, dir, logStartOffset);
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX)));
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX)));
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX)));
        }
    }
}
