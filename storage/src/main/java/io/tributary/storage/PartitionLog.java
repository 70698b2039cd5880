package io.tributary.storage;

import io.tributary.storage.ProducerStateEntry.BatchMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static io.tributary.storage.BatchLayout.*;

/**
 * The log of one partition: a directory of segments holding Kafka v2 record batches byte for byte.
 *
 * <p>Not thread-safe by design: a log belongs to one thread at a time (the partition's event loop), so the append
 * and read paths take no locks. Appends write the producer's own bytes with one positional write after editing the
 * offsets in place; reads copy whole batches out with one positional read. Blocking work (flush, close, delete,
 * segment deletion, recovery in {@link #open}) is left to the caller to schedule off the event loop.
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);
    private static final int LOOKUP_BUFFER_BYTES = 8 * 1024;
    private static final int REPLAY_BUFFER_BYTES = 256 * 1024;
    private static final int ITERATOR_CHUNK_BYTES = 64 * 1024;

    private final Path dir;
    private final LogConfig config;
    private final Clock clock;
    private final SegmentList segments;
    private final BatchValidator validator;
    private final ProducerStateManager producers = new ProducerStateManager();
    /** Reused for index-then-scan lookups so reads allocate only their result. */
    private final BatchScanner lookup = new BatchScanner(LOOKUP_BUFFER_BYTES, false);
    private final LogLoader.Result loadResult;

    private long logStartOffset;
    private long logEndOffset;
    private long recoveryPoint;
    private long unflushedRecords;
    private long firstUnflushedAppendMs = -1;
    /** A segment or snapshot file was created since the last flush, so the directory needs an fsync. */
    private boolean directoryDirty;
    private boolean closed;

    private PartitionLog(Path dir, LogConfig config, Clock clock, LogLoader.Result loaded) {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.segments = loaded.segments();
        this.validator = new BatchValidator(config.maxMessageBytes());
        this.loadResult = loaded;
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.recoveryPoint = loaded.recoveryPoint();
    }

    /** Opens (creating if absent) the log in {@code dir}, recovering it if it was not closed cleanly. Blocking. */
    public static PartitionLog open(Path dir, LogConfig config, Clock clock) throws IOException {
        LogLoader.Result loaded = LogLoader.load(dir, config, clock.millis());
        PartitionLog partitionLog = new PartitionLog(dir, config, clock, loaded);
        try {
            partitionLog.rebuildProducerState();
        } catch (IOException | RuntimeException e) {
            partitionLog.closeSegmentsQuietly(e);
            throw e;
        }
        return partitionLog;
    }

    // ---- append ----------------------------------------------------------------------------------------------

    /**
     * Appends the v2 batches in {@code records} (position to limit), all or nothing. Every batch is validated
     * before anything is written; then base offsets, leader epoch and (with LogAppendTime) timestamps are edited
     * in place in the caller's buffer, which is written as is.
     */
    public AppendResult append(ByteBuffer records, int leaderEpoch) throws LogException {
        ensureOpen();
        ByteBuffer buf = records.isReadOnly() ? writableCopy(records) : records;
        int start = buf.position();
        int end = buf.limit();
        if (start == end) throw new LogException(LogError.INVALID_RECORD, "the append holds no record batches");
        long now = clock.millis();
        long appendTime = config.logAppendTime() ? now : NO_TIMESTAMP;

        long nextOffset = logEndOffset;
        long maxTimestamp = NO_TIMESTAMP;
        long offsetOfMaxTimestamp = -1;
        int recordCount = 0;
        try {
            for (int at = start; at < end; ) {
                int size = validator.validate(buf, at, end);
                int delta = lastOffsetDelta(buf, at);
                long last = nextOffset + delta;
                long batchMaxTimestamp = appendTime != NO_TIMESTAMP ? appendTime : BatchLayout.maxTimestamp(buf, at);
                long producerId = producerId(buf, at);
                if (producerId > NO_PRODUCER_ID) {
                    int firstSeq = baseSequence(buf, at);
                    BatchMetadata duplicate = producers.checkAndStage(producerId, producerEpoch(buf, at), firstSeq,
                            lastSequence(firstSeq, delta), nextOffset, last, batchMaxTimestamp, isTransactional(buf, at));
                    if (duplicate != null) {
                        producers.discardPending();
                        return duplicateResult(duplicate);
                    }
                }
                if (batchMaxTimestamp > maxTimestamp) {
                    maxTimestamp = batchMaxTimestamp;
                    offsetOfMaxTimestamp = last;
                }
                recordCount += delta + 1;
                nextOffset = last + 1;
                at += size;
            }
        } catch (LogException e) {
            producers.discardPending();
            throw e;
        }

        assignOffsets(buf, start, end, leaderEpoch, appendTime);
        try {
            LogSegment active = segments.last();
            if (active.shouldRoll(end - start, maxTimestamp, nextOffset - 1, now, config)) active = roll(now);
            active.append(buf.duplicate().limit(end).position(start), nextOffset - 1, maxTimestamp, offsetOfMaxTimestamp);
        } catch (IOException e) {
            producers.discardPending();
            throw new LogException(LogError.STORAGE_ERROR, "could not write to " + dir + ": " + e.getMessage(), e);
        }
        producers.commitPending();
        long baseOffset = logEndOffset;
        logEndOffset = nextOffset;
        if (unflushedRecords == 0) firstUnflushedAppendMs = now;
        unflushedRecords += recordCount;
        return new AppendResult(baseOffset, nextOffset - 1, appendTime, logStartOffset, recordCount, false);
    }

    /** Base offsets and leader epoch are outside the CRC; LogAppendTime rewrites maxTimestamp and so the CRC. */
    private void assignOffsets(ByteBuffer buf, int start, int end, int leaderEpoch, long appendTime) {
        long offset = logEndOffset;
        for (int at = start; at < end; ) {
            int size = BatchLayout.size(buf, at);
            buf.putLong(at + BASE_OFFSET, offset);
            buf.putInt(at + PARTITION_LEADER_EPOCH, leaderEpoch);
            if (appendTime != NO_TIMESTAMP) stampLogAppendTime(validator.crc(), buf, at, size, appendTime);
            offset += lastOffsetDelta(buf, at) + 1L;
            at += size;
        }
    }

    private AppendResult duplicateResult(BatchMetadata original) {
        return new AppendResult(original.firstOffset(), original.lastOffset(),
                config.logAppendTime() ? original.timestamp() : NO_TIMESTAMP, logStartOffset,
                (int) (original.lastOffset() - original.firstOffset() + 1), true);
    }

    private static ByteBuffer writableCopy(ByteBuffer readOnly) {
        ByteBuffer copy = ByteBuffer.allocate(readOnly.remaining());
        copy.put(readOnly.duplicate()).flip();
        return copy;
    }

    /** Starts a new active segment at the log end; the old one is sealed and producer state snapshotted. */
    private LogSegment roll(long now) throws IOException {
        LogSegment old = segments.last();
        old.seal();
        ProducerStateSnapshot.write(dir, logEndOffset, producers.entries(), false);
        ProducerStateSnapshot.retainNewest(dir);
        LogSegment segment = LogSegment.create(dir, logEndOffset, config.indexIntervalBytes(), now);
        segments.add(segment);
        directoryDirty = true;
        log.debug("Rolled {} to a new segment at offset {} after {} bytes", dir, logEndOffset, old.size());
        return segment;
    }

    // ---- read ------------------------------------------------------------------------------------------------

    /**
     * Whole batches from the one holding {@code fetchOffset}, within one segment and at most {@code maxBytes},
     * except that with {@code minOneBatch} a first batch larger than {@code maxBytes} comes back whole (KIP-74).
     * At the log end offset the result is empty.
     */
    public ReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch) throws LogException {
        ensureOpen();
        if (fetchOffset < logStartOffset || fetchOffset > logEndOffset) {
            throw new LogException(LogError.OFFSET_OUT_OF_RANGE, "fetch offset " + fetchOffset
                    + " is outside the log, which holds offsets " + logStartOffset + " up to " + logEndOffset);
        }
        try {
            if (fetchOffset < logEndOffset) {
                for (int i = Math.max(0, segments.floorIndex(fetchOffset)); i < segments.size(); i++) {
                    LogSegment segment = segments.get(i);
                    if (segment.locate(fetchOffset, lookup)) {
                        return readFrom(segment, lookup.position(), lookup.size(), maxBytes, minOneBatch);
                    }
                }
            }
            LogSegment active = segments.last();
            return ReadResult.empty(logStartOffset, logEndOffset, active.channel(), active.size());
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not read " + dir + ": " + e.getMessage(), e);
        }
    }

    private ReadResult readFrom(LogSegment segment, long position, int firstBatchSize, int maxBytes,
                                boolean minOneBatch) throws IOException {
        int length;
        if (firstBatchSize > maxBytes) {
            if (!minOneBatch) return ReadResult.empty(logStartOffset, logEndOffset, segment.channel(), position);
            length = firstBatchSize;
        } else {
            length = (int) Math.min(maxBytes, segment.size() - position);
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        segment.read(out, position);
        out.flip().limit(wholeBatchBytes(out, firstBatchSize));
        return new ReadResult(logStartOffset, logEndOffset, out.asReadOnlyBuffer(), segment.channel(), position);
    }

    /** Length of the run of complete batches at the start of {@code b} (the first is known to be complete). */
    private static int wholeBatchBytes(ByteBuffer b, int firstBatchSize) {
        int end = firstBatchSize;
        while (end + LOG_OVERHEAD <= b.limit()) {
            long size = BatchLayout.size(b, end);
            if (size < HEADER_SIZE || end + size > b.limit()) break;
            end += (int) size;
        }
        return end;
    }

    // ---- timestamps and iteration ----------------------------------------------------------------------------

    /**
     * The first batch (at or above the log start) whose maxTimestamp is >= {@code timestamp}; it holds the first
     * record with such a timestamp, which the caller finds by iterating the records.
     */
    public Optional<RecordBatchView> firstBatchWithMaxTimestampAtLeast(long timestamp) {
        ensureOpenUnchecked();
        try {
            for (LogSegment segment : segments) {
                if (segment.maxTimestamp() >= timestamp && segment.locateTimestamp(timestamp, logStartOffset, lookup)) {
                    return Optional.of(segment.readBatch(lookup.position(), lookup.size()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not search " + dir + " by timestamp", e);
        }
    }

    /** The earliest batch carrying the largest timestamp in the log (ListOffsets MAX_TIMESTAMP). */
    public Optional<RecordBatchView> batchWithLargestTimestamp() {
        ensureOpenUnchecked();
        LogSegment best = null;
        for (LogSegment segment : segments) {
            if (segment.maxTimestamp() > (best == null ? NO_TIMESTAMP : best.maxTimestamp())) best = segment;
        }
        if (best == null) return Optional.empty();
        try {
            return best.locate(best.offsetOfMaxTimestamp(), lookup)
                    ? Optional.of(best.readBatch(lookup.position(), lookup.size()))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + dir, e);
        }
    }

    /**
     * The stored batches from the one holding {@code offset} (or the log start) up to the current log end, read
     * lazily in chunks. Each view owns its bytes. I/O errors surface as {@link UncheckedIOException}.
     */
    public Iterable<RecordBatchView> batchesFrom(long offset) {
        ensureOpenUnchecked();
        long from = Math.max(offset, logStartOffset);
        long to = logEndOffset;
        List<LogSegment> snapshot = segments.snapshot();
        int first = Math.max(0, segments.floorIndex(from));
        return () -> new LogBatchIterator(snapshot, first, from, to, new BatchScanner(ITERATOR_CHUNK_BYTES, true));
    }

    // ---- positions -------------------------------------------------------------------------------------------

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    /** Every offset below this is fsynced. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    public int segmentCount() {
        return segments.size();
    }

    public long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments) total += s.size();
        return total;
    }

    /** True once flush.messages records or flush.ms of time have piled up unflushed: time to call {@link #flush()}. */
    public boolean needsFlush() {
        if (unflushedRecords == 0) return false;
        return unflushedRecords >= config.flushMessages()
                || clock.millis() - firstUnflushedAppendMs >= config.flushMs();
    }

    // ---- retention and truncation ----------------------------------------------------------------------------

    /** DeleteRecords: moves the log start up (never past the log end) and deletes segments wholly below it. */
    public void advanceLogStartOffset(long offset) throws LogException {
        ensureOpen();
        if (offset > logEndOffset) {
            throw new LogException(LogError.OFFSET_OUT_OF_RANGE, "cannot move the log start offset to " + offset
                    + ", past the log end offset " + logEndOffset);
        }
        if (offset <= logStartOffset) return;
        logStartOffset = offset;
        try {
            // Persist first: if deleting is interrupted, the next open finishes it.
            new Checkpoint(logStartOffset, recoveryPoint).write(dir);
            while (segments.size() > 1 && segments.get(1).baseOffset() <= offset) {
                LogSegment doomed = segments.removeFirst();
                doomed.delete();
                log.debug("Deleted segment {} of {} below log start offset {}", doomed, dir, offset);
            }
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not delete segments of " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes every batch holding an offset >= {@code offset}; a batch straddling it goes entirely, so the log end
     * becomes that batch's base offset. Below the first segment the log restarts empty at {@code offset}.
     */
    public void truncateTo(long offset) throws IOException {
        ensureOpenUnchecked();
        if (offset >= logEndOffset) return;
        if (offset < segments.first().baseOffset()) {
            truncateFullyAndStartAt(offset);
            return;
        }
        int holder = segments.floorIndex(offset);
        int firstDropped = holder > 0 && segments.get(holder).baseOffset() == offset ? holder : holder + 1;
        for (LogSegment s : segments.removeFrom(firstDropped)) s.delete();
        LogSegment active = segments.last();
        active.unseal();
        long cut = active.truncateTo(offset, lookup);
        logEndOffset = cut >= 0 ? cut : active.readNextOffset(lookup);
        logStartOffset = Math.min(logStartOffset, logEndOffset);
        recoveryPoint = Math.min(recoveryPoint, logEndOffset);
        resetUnflushed();
        ProducerStateSnapshot.deleteAbove(dir, logEndOffset);
        rebuildProducerState();
        // A stale higher recovery point would let a crash skip scanning data appended after this.
        new Checkpoint(logStartOffset, recoveryPoint).write(dir);
        log.info("Truncated {} to offset {} (asked for {})", dir, logEndOffset, offset);
    }

    private void truncateFullyAndStartAt(long offset) throws IOException {
        for (LogSegment s : segments.removeFrom(0)) s.delete();
        segments.add(LogSegment.create(dir, offset, config.indexIntervalBytes(), clock.millis()));
        logStartOffset = offset;
        logEndOffset = offset;
        recoveryPoint = offset;
        resetUnflushed();
        ProducerStateSnapshot.deleteAll(dir);
        producers.clear();
        IoUtil.fsyncDirectory(dir);
        new Checkpoint(logStartOffset, recoveryPoint).write(dir);
        log.info("Truncated {} fully; it restarts at offset {}", dir, offset);
    }

    /** Forgets idle producers without an open transaction (Kafka's producer.id.expiration.ms); returns how many. */
    public int removeExpiredProducers(long maxIdleMs) {
        return producers.removeExpired(clock.millis(), maxIdleMs);
    }

    // ---- durability and lifecycle ----------------------------------------------------------------------------

    /**
     * fsyncs everything up to the log end and persists it as the recovery point. Blocking, and like every other
     * method not safe to run while another thread appends: the owner must hand the log to the flushing thread.
     */
    public void flush() throws IOException {
        ensureOpenUnchecked();
        long target = logEndOffset;
        int from = Math.max(0, segments.floorIndex(Math.max(recoveryPoint - 1, segments.first().baseOffset())));
        for (int i = from; i < segments.size(); i++) segments.get(i).flush();
        if (directoryDirty) {
            IoUtil.fsyncDirectory(dir);
            directoryDirty = false;
        }
        resetUnflushed();
        if (target != recoveryPoint || !Files.exists(dir.resolve(LogFiles.CHECKPOINT))) {
            recoveryPoint = target;
            new Checkpoint(logStartOffset, recoveryPoint).write(dir);
        }
    }

    /** Flushes, then writes the producer snapshot, the checkpoint and the clean-shutdown marker. Blocking. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        try {
            segments.last().appendFinalTimeIndexEntry();
            flush();
            ProducerStateSnapshot.write(dir, logEndOffset, producers.entries(), true);
            ProducerStateSnapshot.retainNewest(dir);
            Files.deleteIfExists(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
            Files.createFile(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
            IoUtil.fsyncDirectory(dir);
        } finally {
            closed = true;
            closeSegments();
        }
    }

    /** Closes the log and removes its whole directory. Blocking. */
    public void delete() throws IOException {
        try {
            if (!closed) {
                closed = true;
                closeSegments();
            }
        } finally {
            IoUtil.deleteRecursively(dir);
        }
    }

    /** Lets go of the files without flushing or marking a clean shutdown, as a crash would (tests, storage errors). */
    void closeUncleanly() throws IOException {
        if (closed) return;
        closed = true;
        closeSegments();
    }

    Path dir() {
        return dir;
    }

    LogLoader.Result loadResult() {
        return loadResult;
    }

    ProducerStateManager producerState() {
        return producers;
    }

    // ---- internals -------------------------------------------------------------------------------------------

    /** Loads the newest usable snapshot at or below the log end and replays the batch headers after it. */
    private void rebuildProducerState() throws IOException {
        ProducerStateSnapshot.deleteAbove(dir, logEndOffset);
        Optional<ProducerStateSnapshot.Loaded> snapshot = ProducerStateSnapshot.readLatest(dir, logEndOffset);
        producers.clear();
        long from = segments.first().baseOffset();
        if (snapshot.isPresent()) {
            producers.load(snapshot.get().entries());
            from = Math.max(from, snapshot.get().offset());
        }
        if (from >= logEndOffset) return;
        BatchScanner scanner = new BatchScanner(REPLAY_BUFFER_BYTES, false);
        for (int i = Math.max(0, segments.floorIndex(from)); i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            scanner.reset(segment.channel(), segment.lookupPosition(from), segment.size());
            while (scanner.next(false)) {
                if (scanner.lastOffset() < from) continue;
                replay(scanner);
            }
        }
    }

    private void replay(BatchScanner s) {
        ByteBuffer b = s.buffer();
        int at = s.offset();
        long producerId = producerId(b, at);
        if (producerId <= NO_PRODUCER_ID) return;
        int firstSeq = baseSequence(b, at);
        producers.replay(producerId, producerEpoch(b, at), firstSeq, lastSequence(firstSeq, lastOffsetDelta(b, at)),
                BatchLayout.baseOffset(b, at), BatchLayout.lastOffset(b, at), BatchLayout.maxTimestamp(b, at),
                isTransactional(b, at), isControl(b, at));
    }

    private void resetUnflushed() {
        unflushedRecords = 0;
        firstUnflushedAppendMs = -1;
    }

    private void ensureOpen() throws LogException {
        if (closed) throw new LogException(LogError.STORAGE_ERROR, "the partition log " + dir + " is closed");
    }

    private void ensureOpenUnchecked() {
        if (closed) throw new IllegalStateException("the partition log " + dir + " is closed");
    }

    private void closeSegments() throws IOException {
        IOException failure = null;
        for (LogSegment s : segments) {
            try {
                s.close();
            } catch (IOException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    private void closeSegmentsQuietly(Exception cause) {
        try {
            closeSegments();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "PartitionLog[" + dir + ", offsets " + logStartOffset + ".." + logEndOffset + ", segments "
                + segments.size() + "]";
    }
}
