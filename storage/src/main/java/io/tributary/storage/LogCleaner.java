package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tributary.storage.BatchLayout.NO_TIMESTAMP;

/**
 * Log compaction, after Kafka's LogCleaner: for a log with cleanup.policy=compact, keep only the newest record of
 * every key in its sealed segments, drop tombstones once delete.retention.ms has passed since the cleaner first saw
 * them, and never change an offset (compaction leaves gaps).
 *
 * <h2>One clean, step by step</h2>
 * A {@link CleanTask} moves between the log's owner thread and a cleaner thread:
 * <ol>
 *   <li>{@link #prepare} (owner): picks the range (sealed segments below the first uncleanable one, which is the
 *       active segment or the first dirty segment still within min.compaction.lag.ms), remembers the producers'
 *       newest batches, and marks the log as being cleaned, which holds off retention and segment deletion.</li>
 *   <li>{@link CleanTask#clean()} (cleaner thread): builds key -> newest offset over the dirty segments
 *       ({@link OffsetMap}), then rewrites the segments from the start of the log up to the end of that map into
 *       {@code .cleaned} files, grouping neighbours up to segment.bytes, and fsyncs them. Sealed segments never
 *       change while the log is being cleaned (see {@link PartitionLog}), so reading them here is safe. All I/O
 *       goes through the shared {@link Throttler}.</li>
 *   <li>{@link CleanTask#beginSwap()} (owner): checks the log was not truncated or closed meanwhile.</li>
 *   <li>{@link CleanTask#commit()} (cleaner thread): the crash-safe swap. See {@link SwapIntent}: the intent file
 *       is the commit point, the cleaned files are renamed over the old names and the replaced files deleted; the
 *       old segment objects keep their open files, so reads on the owner are not disturbed.</li>
 *   <li>{@link CleanTask#finishSwap()} (owner): the cleaned segments replace the old ones in the segment list.</li>
 *   <li>{@link CleanTask#cleanup()} (cleaner thread): persists the cleaner checkpoint; {@link CleanTask#closeReplaced()}
 *       closes the old segments' files a little later.</li>
 * </ol>
 * A clean that fails or is aborted before the commit deletes its {@code .cleaned} files ({@link CleanTask#discard()})
 * and the owner forgets it ({@link CleanTask#abandon()}); the log is as it was.
 */
public final class LogCleaner {
    private static final Logger log = LoggerFactory.getLogger(LogCleaner.class);
    private static final String CLEANED = SwapIntent.CLEANED;

    private final RecordCodec codec;
    private final Throttler throttler;
    private final long dedupeBufferBytes;
    private final int ioBufferBytes;

    /**
     * @param dedupeBufferBytes log.cleaner.dedupe.buffer.size: memory for the key -> offset map (24 bytes a key)
     * @param ioBufferBytes     initial size of the read and write buffers; they grow for larger batches
     */
    public LogCleaner(RecordCodec codec, Throttler throttler, long dedupeBufferBytes, int ioBufferBytes) {
        this.codec = codec;
        this.throttler = throttler;
        this.dedupeBufferBytes = dedupeBufferBytes;
        this.ioBufferBytes = Math.max(4096, ioBufferBytes);
    }

    // ---- choosing what to clean (owner) ----------------------------------------------------------------------

    /**
     * How much a compacted log would gain from cleaning, computed on the owner.
     *
     * @param dirtyRatio dirty bytes / (clean + dirty bytes) of the cleanable part
     * @param mustClean  max.compaction.lag.ms is exceeded by the oldest dirty record, or expired tombstones wait
     */
    public record Cleanability(long cleanBytes, long dirtyBytes, double dirtyRatio, boolean mustClean, String reason) {
        /** Kafka's rule: dirty enough for min.cleanable.dirty.ratio, or overdue and with something to clean. */
        public boolean worthCleaning(double minCleanableRatio) {
            return (dirtyBytes > 0 && dirtyRatio >= minCleanableRatio) || mustClean;
        }
    }

    /** The range a clean would cover now: segments [0, uncleanable), dirty from {@code dirtyStart}. */
    private record Range(int dirtyStart, int uncleanable) {
    }

    private static Range range(PartitionLog plog, long now) throws IOException {
        SegmentList segments = plog.segments();
        int n = segments.size();
        if (n < 2) return null;
        CleanupConfig c = plog.config().cleanup();
        long firstDirty = Math.max(plog.compaction().firstDirtyOffset(), plog.logStartOffset());
        int dirtyStart = Math.max(0, segments.floorIndex(firstDirty));
        int uncleanable = n - 1;
        // Nothing at or past the last stable offset: an open transaction may still abort, and its records must
        // neither shadow committed ones nor be dropped before that is decided.
        long lastStable = plog.lastStableOffset();
        if (lastStable < plog.logEndOffset()) {
            uncleanable = Math.min(uncleanable, Math.max(0, segments.floorIndex(lastStable)));
        }
        if (c.minCompactionLagMs() > 0) {
            for (int i = dirtyStart; i < n - 1; i++) {
                if (segments.get(i).largestTimestamp() > now - c.minCompactionLagMs()) {
                    uncleanable = i;
                    break;
                }
            }
        }
        dirtyStart = Math.min(dirtyStart, uncleanable);
        return new Range(dirtyStart, uncleanable);
    }

    /** How dirty {@code plog} is, or null if it is not compacted, is being cleaned, or has nothing sealed. Owner. */
    public static Cleanability cleanability(PartitionLog plog, long now) throws IOException {
        if (!plog.config().cleanup().compact() || plog.compaction().activeClean() != null || plog.isClosing()) return null;
        Range r = range(plog, now);
        if (r == null) return null;
        SegmentList segments = plog.segments();
        long clean = 0;
        long dirty = 0;
        for (int i = 0; i < r.uncleanable(); i++) {
            if (i < r.dirtyStart()) clean += segments.get(i).size();
            else dirty += segments.get(i).size();
        }
        double ratio = clean + dirty == 0 ? 0 : (double) dirty / (clean + dirty);
        CleanupConfig c = plog.config().cleanup();
        String reason = null;
        if (dirty > 0 && c.maxCompactionLagMs() < Long.MAX_VALUE) {
            long first = segments.get(r.dirtyStart()).firstBatchMaxTimestamp();
            if (first > 0 && first < now - c.maxCompactionLagMs()) reason = "max.compaction.lag.ms exceeded";
        }
        long horizon = plog.compaction().deleteHorizonMs();
        if (reason == null && horizon != NO_TIMESTAMP && now >= horizon && r.uncleanable() > 0) {
            reason = "tombstones past delete.retention.ms";
        }
        return new Cleanability(clean, dirty, ratio, reason != null, reason);
    }

    /**
     * Owner: starts cleaning {@code plog}, or returns null if it has no sealed segment to clean or is busy. The
     * log counts as being cleaned until the task is finished or abandoned.
     */
    public CleanTask prepare(PartitionLog plog, long now) throws IOException {
        if (!plog.config().cleanup().compact() || plog.compaction().activeClean() != null || plog.isClosing()) return null;
        Range r = range(plog, now);
        if (r == null || r.uncleanable() == 0) return null;
        long horizon = plog.compaction().deleteHorizonMs();
        boolean tombstonesExpired = horizon != NO_TIMESTAMP && now >= horizon;
        if (r.dirtyStart() == r.uncleanable() && !tombstonesExpired) return null;
        SegmentList segments = plog.segments();
        List<LogSegment> candidates = new ArrayList<>(segments.snapshot().subList(0, r.uncleanable()));
        long rangeEnd = segments.get(r.uncleanable()).baseOffset();
        CleanTask task = new CleanTask(plog, candidates, r.dirtyStart(), rangeEnd, plog.producerState().lastBatchOffsets(),
                plog.abortedTransactions(plog.logStartOffset(), rangeEnd), plog.config(), now);
        plog.compaction().activeClean(task);
        return task;
    }

    /** Runs every step of one clean on the calling thread, which must be the only one using the log (tests, tools). */
    public CleanStats cleanNow(PartitionLog plog, long now) throws IOException {
        CleanTask task = prepare(plog, now);
        if (task == null) return null;
        boolean swapped = false;
        try {
            task.clean();
            if (!task.beginSwap()) {
                task.discard();
                task.abandon();
                return null;
            }
            task.commit();
            task.finishSwap();
            swapped = true;
            task.cleanup();
            task.closeReplaced();
            return task.stats();
        } finally {
            if (!swapped && plog.compaction().activeClean() == task) {
                task.discard();
                task.abandon();
            }
        }
    }

    /** What one clean did, for logs and tests. */
    /** {@code bytesRead}: the size of the segments rewritten; {@code bytesWritten}: the size of what replaced them. */
    public record CleanStats(int segmentsRead, int segmentsWritten, long bytesRead, long bytesWritten,
                             long recordsRead, long recordsRetained, int keysMapped, long firstDirtyOffset,
                             long durationMs) {
    }

    // ---- one clean -------------------------------------------------------------------------------------------

    /** One clean of one log; see the class comment for which thread runs which step. */
    public final class CleanTask {
        private final PartitionLog plog;
        private final Path dir;
        private final List<LogSegment> candidates;
        private final int dirtyStart;
        private final long rangeEnd;
        private final Map<Long, Long> producerLastOffsets;
        /** Aborted transactions of the range, for dropping their batches and deciding about markers. */
        private final List<AbortedTxn> abortedTxns;
        private final LogConfig config;
        private final long now;
        private final long startNanos = System.nanoTime();

        private volatile boolean aborted;
        private volatile boolean swapping;

        // Results of clean(), read by the later steps (handed over through the owner's task queue).
        private int cleanedCount;
        private long newFirstDirty;
        private long newDeleteHorizon = NO_TIMESTAMP;
        private final List<Long> groupBases = new ArrayList<>();
        private final List<Long> groupLastModified = new ArrayList<>();
        private List<LogSegment> installed = List.of();
        private long bytesRead;
        private long bytesWritten;
        private long recordsRead;
        private long recordsRetained;
        private int keysMapped;

        private CleanTask(PartitionLog plog, List<LogSegment> candidates, int dirtyStart, long rangeEnd,
                          Map<Long, Long> producerLastOffsets, List<AbortedTxn> abortedTxns, LogConfig config,
                          long now) {
            this.abortedTxns = abortedTxns;
            this.plog = plog;
            this.dir = plog.dir();
            this.candidates = candidates;
            this.dirtyStart = dirtyStart;
            this.rangeEnd = rangeEnd;
            this.producerLastOffsets = producerLastOffsets;
            this.config = config;
            this.now = now;
        }

        /** The log being cleaned. */
        public PartitionLog log() {
            return plog;
        }

        /** Any thread: the clean will be abandoned at its next step (the log was truncated or is closing). */
        public void abort() {
            aborted = true;
        }

        boolean isSwapping() {
            return swapping;
        }

        private void checkNotAborted() throws IOException {
            if (aborted || plog.isClosing()) throw new CleanAbortedException(dir);
        }

        /** Cleaner thread: builds the offset map and writes the cleaned segments as {@code .cleaned} files. */
        public void clean() throws IOException {
            OffsetMap map = buildOffsetMap();
            cleanSegments(map);
            CrashPoints.reached("cleaned-written");
        }

        private OffsetMap buildOffsetMap() throws IOException {
            int budget = OffsetMap.capacityFor(dedupeBufferBytes);
            // Offsets are an upper bound on distinct keys; the map is sized for the segments that fit that bound,
            // and a segment with more distinct keys than fit ends the mapped range at its base.
            long estimate = 0;
            int end = dirtyStart;
            for (int i = dirtyStart; i < candidates.size(); i++) {
                long offsets = nextBase(i) - candidates.get(i).baseOffset();
                if (end > dirtyStart && estimate + offsets > budget) break;
                estimate += offsets;
                end = i + 1;
            }
            OffsetMap map = new OffsetMap((int) Math.max(1, Math.min(budget, estimate)));
            boolean[] full = {false};
            BatchScanner scanner = new BatchScanner(ioBufferBytes, false);
            CleanedTransactions txns = new CleanedTransactions(abortedTxns);
            for (int i = dirtyStart; i < end; i++) {
                LogSegment segment = candidates.get(i);
                scanner.reset(segment.channel(), 0, segment.size());
                long read = 0;
                while (!full[0] && scanner.next(true)) {
                    checkNotAborted();
                    ByteBuffer b = scanner.buffer();
                    int at = scanner.offset();
                    read += scanner.size();
                    if (BatchLayout.isControl(b, at)) {
                        txns.onControlBatchRead(b, at);
                        continue;
                    }
                    // Records of aborted transactions are never "the newest" of their key.
                    if (txns.onBatchRead(b, at)) continue;
                    codec.forEachRecord(b.duplicate().limit(at + scanner.size()).position(at), (offset, key, hasValue) -> {
                        if (key != null && !full[0] && !map.tryPut(key, offset)) full[0] = true;
                    });
                    if (read >= ioBufferBytes) {
                        throttle(read);
                        read = 0;
                    }
                }
                throttle(read);
                if (full[0]) {
                    if (i == dirtyStart) {
                        throw new IOException("segment " + segment + " of " + dir + " holds more distinct keys than"
                                + " log.cleaner.dedupe.buffer.size allows (" + map.maxEntries() + "); raise it");
                    }
                    // The keys mapped from this segment only make the clean more thorough (their newer records
                    // stay, in this segment); cleaning stops at its base.
                    end = i;
                    break;
                }
                if (scanner.stopReason() != null) {
                    throw new IOException("segment " + segment + " of " + dir + " does not parse: " + scanner.stopReason());
                }
            }
            cleanedCount = end;
            newFirstDirty = end < candidates.size() ? candidates.get(end).baseOffset() : rangeEnd;
            keysMapped = map.size();
            return map;
        }

        private long nextBase(int i) {
            return i + 1 < candidates.size() ? candidates.get(i + 1).baseOffset() : rangeEnd;
        }

        private void cleanSegments(OffsetMap map) throws IOException {
            Filter filter = new Filter(map);
            ByteBuffer readBuffer = ByteBuffer.allocate(ioBufferBytes);
            ByteBuffer writeBuffer = ByteBuffer.allocate(ioBufferBytes);
            int i = 0;
            while (i < cleanedCount) {
                int groupEnd = groupEnd(i);
                LogSegment first = candidates.get(i);
                long lastModified = 0;
                groupBases.add(first.baseOffset());
                LogSegment out = LogSegment.create(dir, first.baseOffset(), config.indexIntervalBytes(), now, CLEANED);
                try {
                    for (int s = i; s < groupEnd; s++) {
                        LogSegment source = candidates.get(s);
                        lastModified = Math.max(lastModified, source.lastModifiedMs());
                        readBuffer = cleanInto(source, out, filter, readBuffer, writeBuffer);
                    }
                    out.seal();
                    out.flush();
                } finally {
                    out.close();
                }
                groupLastModified.add(lastModified);
                Files.setLastModifiedTime(dir.resolve(LogSegment.fileName(first.baseOffset(), LogSegment.LOG_SUFFIX)
                        + CLEANED), java.nio.file.attribute.FileTime.fromMillis(Math.max(lastModified, 1)));
                i = groupEnd;
            }
        }

        /** Kafka's groupSegmentsBySize: neighbours whose sizes add up to at most segment.bytes. */
        private int groupEnd(int from) {
            long size = candidates.get(from).size();
            long base = candidates.get(from).baseOffset();
            int end = from + 1;
            while (end < cleanedCount && size + candidates.get(end).size() <= config.segmentBytes()
                    && nextBase(end) - 1 - base <= Integer.MAX_VALUE) {
                size += candidates.get(end).size();
                end++;
            }
            return end;
        }

        /** Filters one source segment into {@code out}; returns the read buffer, grown if a batch needed it. */
        private ByteBuffer cleanInto(LogSegment source, LogSegment out, Filter filter, ByteBuffer readBuffer,
                                     ByteBuffer writeBuffer) throws IOException {
            long position = 0;
            long size = source.size();
            while (position < size) {
                checkNotAborted();
                int chunk = (int) Math.min(readBuffer.capacity(), size - position);
                readBuffer.clear().limit(chunk);
                source.read(readBuffer, position);
                readBuffer.flip();
                writeBuffer.clear();
                RecordCodec.FilterResult result = codec.filter(readBuffer, filter, writeBuffer, now,
                        config.cleanup().deleteRetentionMs());
                if (result.bytesRead() == 0) {
                    if (chunk == size - position && readBuffer.capacity() >= size - position) {
                        throw new IOException("segment " + source + " of " + dir + " holds a batch that does not parse at byte "
                                + position);
                    }
                    readBuffer = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, (long) readBuffer.capacity() * 2));
                    continue;
                }
                position += result.bytesRead();
                recordsRead += result.recordsRead();
                recordsRetained += result.recordsRetained();
                ByteBuffer output = result.output();
                int written = output.remaining();
                if (written > 0) out.appendCleaned(output);
                bytesRead += result.bytesRead();
                bytesWritten += written;
                throttle((long) result.bytesRead() + written);
            }
            return readBuffer;
        }

        private void throttle(long bytes) throws IOException {
            try {
                throttler.acquire(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CleanAbortedException(dir);
            }
        }

        /**
         * Owner: the last check before the swap. False if the log was truncated, closed or changed meanwhile;
         * then {@link #discard()} and {@link #abandon()}.
         */
        public boolean beginSwap() {
            if (aborted || plog.isClosing() || plog.compaction().activeClean() != this) return false;
            SegmentList segments = plog.segments();
            if (segments.size() <= cleanedCount) return false;
            for (int i = 0; i < cleanedCount; i++) {
                if (segments.get(i) != candidates.get(i)) return false;
            }
            swapping = true;
            return true;
        }

        /**
         * Cleaner thread: makes the swap durable and puts the cleaned files in place (see {@link SwapIntent}).
         * After this the directory holds the new segments; if it fails after the commit point the log stays marked
         * as being cleaned (no retention, no further cleaning) and the next start-up completes the swap.
         */
        public void commit() throws IOException {
            checkNotAborted();
            IoUtil.fsyncDirectory(dir);
            List<Long> replaced = new ArrayList<>(cleanedCount);
            for (int i = 0; i < cleanedCount; i++) replaced.add(candidates.get(i).baseOffset());
            SwapIntent intent = new SwapIntent(replaced, List.copyOf(groupBases));
            try {
                intent.write(dir);
            } catch (IOException e) {
                // The intent may have reached the directory without its final fsync: take it back before the
                // .cleaned files go, or a restart would delete the old segments with nothing to replace them.
                try {
                    SwapIntent.finish(dir);
                    IoUtil.fsyncDirectory(dir);
                } catch (IOException stuck) {
                    e.addSuppressed(stuck);
                    committed = true;
                }
                throw e;
            }
            committed = true;
            CrashPoints.reached("swap-committed");
            intent.apply(dir);
            CrashPoints.reached("swap-applied");
            List<LogSegment> opened = new ArrayList<>(groupBases.size());
            try {
                for (int g = 0; g < groupBases.size(); g++) {
                    long next = g + 1 < groupBases.size() ? groupBases.get(g + 1) : newFirstDirty;
                    LogSegment segment = LogSegment.open(dir, groupBases.get(g), config.indexIntervalBytes(), now,
                            true, next);
                    opened.add(segment);
                    if (segment.indexesNeedRebuild()) {
                        throw new IOException("the indexes of cleaned segment " + segment + " of " + dir + " do not load");
                    }
                    segment.lastModifiedMs(Math.max(groupLastModified.get(g), 1));
                }
            } catch (IOException | RuntimeException e) {
                for (LogSegment s : opened) {
                    try {
                        s.close();
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            SwapIntent.finish(dir);
            installed = opened;
        }

        private boolean committed;

        /** True once the swap is committed on disk (even if applying it then failed). */
        public boolean isCommitted() {
            return committed;
        }

        /** Owner: the cleaned segments replace the old ones; the log is no longer being cleaned. */
        public void finishSwap() {
            plog.compaction().replaceSegments(cleanedCount, installed, newFirstDirty, newDeleteHorizon);
            swapping = false;
            plog.compaction().activeClean(null);
            CleanStats s = stats();
            log.info("Cleaned {}: {} segment(s), {} -> {} bytes, {} of {} records kept, {} keys, first dirty offset now {},"
                            + " {} ms", dir.getFileName(), s.segmentsRead(), s.bytesRead(), s.bytesWritten(),
                    s.recordsRetained(), s.recordsRead(), s.keysMapped(), s.firstDirtyOffset(), s.durationMs());
        }

        /** Cleaner thread, after {@link #finishSwap()}: closes the replaced segments, persists the cleaner checkpoint. */
        public void cleanup() throws IOException {
            if (!plog.isClosing()) new CleanerCheckpoint(newFirstDirty, newDeleteHorizon).write(dir);
        }

        /**
         * Any thread, some time after {@link #finishSwap()}: closes the replaced segments' files (already unlinked
         * or renamed over). The broker waits a little first, so a reader that took a view of the segment list just
         * before the swap (a lazy batch iterator, a future zero-copy send) can finish.
         */
        public void closeReplaced() throws IOException {
            IOException failure = null;
            for (int i = 0; i < cleanedCount; i++) {
                try {
                    candidates.get(i).close();
                } catch (IOException e) {
                    if (failure == null) failure = e;
                }
            }
            if (failure != null) throw failure;
        }

        /** Cleaner thread, after a failure or abort before the commit: deletes the {@code .cleaned} files. */
        public void discard() {
            if (committed) return;
            for (long base : groupBases) {
                for (String suffix : new String[]{LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX,
                        LogSegment.TIME_INDEX_SUFFIX}) {
                    try {
                        Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, suffix) + CLEANED));
                    } catch (IOException e) {
                        log.warn("Could not delete {}{} of {}: {} (removed at the next start-up)", base, suffix, dir,
                                e.toString());
                    }
                }
            }
        }

        /**
         * Owner, after {@link #discard()}: forgets the clean. A clean that failed after its commit point is kept
         * as the log's active clean, so nothing removes segments the next start-up will replace.
         */
        public void abandon() {
            swapping = false;
            if (committed) {
                log.error("The compaction swap of {} failed after it was committed; it completes at the next start-up"
                        + " and until then the log is neither cleaned nor trimmed by retention", dir);
                return;
            }
            if (plog.compaction().activeClean() == this) plog.compaction().activeClean(null);
        }

        public CleanStats stats() {
            return new CleanStats(cleanedCount, groupBases.size(), bytesRead, bytesWritten, recordsRead,
                    recordsRetained, keysMapped, newFirstDirty, (System.nanoTime() - startNanos) / 1_000_000);
        }

        /** Kafka's cleaner filter: newest record per key, tombstones until their delete horizon. */
        private final class Filter implements RecordCodec.RecordFilter {
            private final OffsetMap map;
            private final CleanedTransactions txns = new CleanedTransactions(abortedTxns);
            /** The current batch is dropped whole: aborted data, or a marker past its horizon guarding nothing. */
            private boolean discardBatch;
            /** The current batch is a marker whose transaction has no data left here. */
            private boolean markerGuardsNothing;

            Filter(OffsetMap map) {
                this.map = map;
            }

            @Override
            public RecordCodec.BatchRetention checkBatch(RecordBatchView batch) {
                ByteBuffer b = batch.buffer();
                markerGuardsNothing = false;
                if (batch.isControl()) {
                    markerGuardsNothing = txns.onControlBatchRead(b, 0);
                    discardBatch = markerGuardsNothing && batch.hasDeleteHorizon() && now >= batch.deleteHorizonMs();
                    if (markerGuardsNothing && !discardBatch) {
                        // It goes in a pass after its horizon: stamped now (by the codec) or earlier.
                        newDeleteHorizon = Math.max(newDeleteHorizon, batch.hasDeleteHorizon()
                                ? batch.deleteHorizonMs() : now + config.cleanup().deleteRetentionMs());
                    }
                } else {
                    discardBatch = txns.onBatchRead(b, 0);
                }
                if (batch.hasProducerId()) {
                    Long last = producerLastOffsets.get(batch.producerId());
                    if (last != null && last == batch.lastOffset()) return RecordCodec.BatchRetention.RETAIN_EMPTY;
                }
                return discardBatch ? RecordCodec.BatchRetention.DELETE : RecordCodec.BatchRetention.DELETE_EMPTY;
            }

            @Override
            public boolean isMarkerForEmptyTransaction() {
                return markerGuardsNothing;
            }

            @Override
            public boolean retainRecord(RecordBatchView batch, long offset, ByteBuffer key, boolean hasValue) {
                if (discardBatch) return false;
                if (batch.isControl()) return true;
                if (key == null) return false;
                boolean newest = offset >= map.get(key);
                boolean keepTombstone = !batch.hasDeleteHorizon() || now < batch.deleteHorizonMs();
                boolean keep = newest && (hasValue || keepTombstone);
                if (keep && !hasValue) {
                    // When this tombstone may go: its batch's horizon, or the one filterTo stamps on it now.
                    long horizon = batch.hasDeleteHorizon() ? batch.deleteHorizonMs()
                            : now + config.cleanup().deleteRetentionMs();
                    newDeleteHorizon = Math.max(newDeleteHorizon, horizon);
                }
                return keep;
            }
        }
    }

    /** A clean gave up because its log was truncated, closed or deleted. */
    public static final class CleanAbortedException extends IOException {
        /** @param what the log (its directory or partition name) */
        public CleanAbortedException(Object what) {
            super("the clean of " + what + " was aborted (the log was truncated, closed or deleted, or the broker is"
                    + " stopping)");
        }
    }
}
