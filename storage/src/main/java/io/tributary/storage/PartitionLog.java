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
 * <p>Not thread-safe by design: a log belongs to one thread at a time (the partition's event loop, its "owner"), so
 * the append and read paths take no locks. Appends write the producer's own bytes with one positional write after
 * editing the offsets in place; reads copy whole batches out with one positional read.
 *
 * <p>Background maintenance is split so its blocking half runs elsewhere while the owner keeps appending:
 * <ul>
 *   <li>Flush: {@link #prepareFlush} (owner) captures what to fsync and up to which offset, {@link FlushTask#run()}
 *       (any thread) fsyncs and persists the recovery point, {@link #completeFlush} (owner) publishes it. One fsync
 *       covers every append up to the captured offset (group commit).</li>
 *   <li>Retention and DeleteRecords: {@link #planRetention} and {@link #advanceLogStartOffsetDeferred} (owner)
 *       decide which whole segments go and move the log start offset at once, so reads see it immediately;
 *       {@link SegmentDeletion#run()} (any thread) persists the checkpoint, then closes and deletes the files.</li>
 *   <li>Compaction: {@link LogCleaner} reads sealed segments on its own thread. A sealed segment's bytes never
 *       change while it is in the log (only {@link #truncateTo} could cut one, and it aborts a clean in progress),
 *       which is what makes reading it off the owner thread safe. Retention and deletion of segments wait while a
 *       clean is in progress.</li>
 * </ul>
 * The synchronous {@link #flush()}, {@link #advanceLogStartOffset}, {@link #close()} and {@link #delete()} run
 * both halves on the calling thread, which must then be the only one using the log.
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);
    private static final int LOOKUP_BUFFER_BYTES = 8 * 1024;
    private static final int REPLAY_BUFFER_BYTES = 256 * 1024;
    private static final int ITERATOR_CHUNK_BYTES = 64 * 1024;

    private final Path dir;
    /** Volatile so other threads (produce validation, the cleaner's scheduler) may read it; written by the owner. */
    private volatile LogConfig config;
    private final Clock clock;
    private final SegmentList segments;
    /** Replaced when max.message.bytes changes; owner only. */
    private BatchValidator validator;
    private final ProducerStateManager producers = new ProducerStateManager();
    /** Open and aborted transactions; set once at open, before producer state is rebuilt. */
    private PartitionTransactions transactions;
    /** Reused for index-then-scan lookups so reads allocate only their result. */
    private final BatchScanner lookup = new BatchScanner(LOOKUP_BUFFER_BYTES, false);
    private final LogLoader.Result loadResult;
    private final CheckpointWriter checkpoints;
    /** Where each leader epoch starts; set once at open. */
    private LeaderEpochCache epochs;
    /** The high watermark core maintains, persisted on flush and close; set once at open. */
    private HighWatermarkCheckpoint highWatermark;

    private long logStartOffset;
    private long logEndOffset;
    private long recoveryPoint;
    private long unflushedRecords;
    private long firstUnflushedAppendMs = -1;
    /** A segment or snapshot file was created since the last flush, so the directory needs an fsync. */
    private boolean directoryDirty;
    private boolean closed;
    /** Set (by any thread) when the log is being closed or deleted: a cleaner reading it gives up. */
    private volatile boolean closing;

    // Compaction state, owner only (see LogCleaner).
    /** Everything below this has been compacted; cleaning starts its dedupe pass here. */
    private long firstDirtyOffset;
    /** Latest delete horizon the cleaner stamped: once passed, expired tombstones make the log worth cleaning. */
    private long deleteHorizonMs = NO_TIMESTAMP;
    /** The clean in progress, or null. While set, segments are neither deleted nor truncated away under it. */
    private LogCleaner.CleanTask activeClean;

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
        this.checkpoints = new CheckpointWriter(dir, logStartOffset, recoveryPoint);
        this.firstDirtyOffset = Math.max(loaded.cleaner().firstDirtyOffset(), logStartOffset);
        this.deleteHorizonMs = loaded.cleaner().deleteHorizonMs();
    }

    /** Opens (creating if absent) the log in {@code dir}, recovering it if it was not closed cleanly. Blocking. */
    public static PartitionLog open(Path dir, LogConfig config, Clock clock) throws IOException {
        LogLoader.Result loaded = LogLoader.load(dir, config, clock.millis());
        PartitionLog partitionLog = new PartitionLog(dir, config, clock, loaded);
        try {
            partitionLog.transactions = PartitionTransactions.load(dir, partitionLog.producers);
            partitionLog.rebuildProducerState();
            partitionLog.loadLeaderEpochs();
            partitionLog.highWatermark = HighWatermarkCheckpoint.load(dir, partitionLog.logStartOffset,
                    partitionLog.logEndOffset);
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
        return append(records, leaderEpoch, false);
    }

    /**
     * {@link #append}, for batches a coordinator of this broker writes on a producer's behalf (transactional offset
     * commits): their producer epoch is checked but not their sequence numbers, which the coordinator does not keep.
     */
    public AppendResult appendFromCoordinator(ByteBuffer records, int leaderEpoch) throws LogException {
        return append(records, leaderEpoch, true);
    }

    private AppendResult append(ByteBuffer records, int leaderEpoch, boolean trusted) throws LogException {
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
                            lastSequence(firstSeq, delta), nextOffset, last, batchMaxTimestamp, isTransactional(buf, at),
                            trusted);
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
            assignEpoch(leaderEpoch, logEndOffset);
            write(buf.duplicate().limit(end).position(start), nextOffset, maxTimestamp, offsetOfMaxTimestamp, now);
        } catch (LogException e) {
            producers.discardPending();
            forgetEpochsFromEnd();
            throw e;
        }
        producers.commitPending();
        long baseOffset = logEndOffset;
        advanceEnd(nextOffset, recordCount, now);
        return new AppendResult(baseOffset, nextOffset - 1, appendTime, logStartOffset, recordCount, false);
    }

    /**
     * Appends a transaction marker (a COMMIT or ABORT control batch) for {@code producerId}, ending its open
     * transaction in this partition: the last stable offset moves past it, and an abort is added to the aborted
     * transaction index so read_committed fetches drop its batches. Kafka's WriteTxnMarkers, in process.
     */
    public AppendResult appendMarker(long producerId, short epoch, boolean commit, int coordinatorEpoch,
                                     int leaderEpoch) throws LogException {
        ensureOpen();
        transactions.checkMarkerEpoch(producerId, epoch);
        long now = clock.millis();
        long offset = logEndOffset;
        ByteBuffer batch = ControlBatch.build(producerId, epoch, commit, coordinatorEpoch, now);
        batch.putLong(BASE_OFFSET, offset).putInt(PARTITION_LEADER_EPOCH, leaderEpoch);
        try {
            assignEpoch(leaderEpoch, offset);
            write(batch, offset + 1, now, offset, now);
        } catch (LogException e) {
            forgetEpochsFromEnd();
            throw e;
        }
        advanceEnd(offset + 1, 1, now);
        transactions.onMarkerAppended(producerId, epoch, commit, offset, segments.last().baseOffset(), now);
        return new AppendResult(offset, offset, NO_TIMESTAMP, logStartOffset, 1, false);
    }

    /**
     * Appends batches copied from the leader's log (a follower's fetch), all or nothing: they keep the leader's
     * offsets, leader epochs and timestamps. Each batch must be a valid v2 batch (control batches included) and
     * the first must start at the log end, each next one right after the previous; nothing is written otherwise.
     * Producer state, transactions and leader epochs follow the batches as when the log is replayed at recovery;
     * there is no duplicate detection (the leader did it).
     *
     * @throws LogException OFFSET_OUT_OF_RANGE if the batches do not continue this log, or the validation error
     */
    public AppendResult appendAsFollower(ByteBuffer records) throws LogException {
        ensureOpen();
        ByteBuffer buf = records.duplicate();
        int start = buf.position();
        int end = buf.limit();
        if (start == end) throw new LogException(LogError.INVALID_RECORD, "the append holds no record batches");
        long now = clock.millis();
        long nextOffset = logEndOffset;
        long maxTimestamp = NO_TIMESTAMP;
        long offsetOfMaxTimestamp = -1;
        int recordCount = 0;
        for (int at = start; at < end; ) {
            int size = validator.validate(buf, at, end, true);
            long base = BatchLayout.baseOffset(buf, at);
            if (base != nextOffset) {
                throw new LogException(LogError.OFFSET_OUT_OF_RANGE, (at == start
                        ? "replicated batches start at offset " + base + " but the log ends at " + nextOffset
                        : "replicated batch at offset " + base + " does not follow the previous one, which ends at "
                        + (nextOffset - 1)));
            }
            long last = BatchLayout.lastOffset(buf, at);
            long batchMaxTimestamp = BatchLayout.maxTimestamp(buf, at);
            if (batchMaxTimestamp > maxTimestamp) {
                maxTimestamp = batchMaxTimestamp;
                offsetOfMaxTimestamp = last;
            }
            recordCount += lastOffsetDelta(buf, at) + 1;
            nextOffset = last + 1;
            at += size;
        }
        try {
            for (int at = start; at < end; at += BatchLayout.size(buf, at)) {
                assignEpoch(BatchLayout.partitionLeaderEpoch(buf, at), BatchLayout.baseOffset(buf, at));
            }
            write(buf.duplicate().limit(end).position(start), nextOffset, maxTimestamp, offsetOfMaxTimestamp, now);
        } catch (LogException e) {
            forgetEpochsFromEnd();
            throw e;
        }
        long segmentBase = segments.last().baseOffset();
        for (int at = start; at < end; at += BatchLayout.size(buf, at)) {
            try {
                replay(buf, at, segmentBase);
            } catch (IOException e) {
                // The batch is in the log: a restart rebuilds the aborted transaction index from it.
                log.warn("Could not write the aborted transaction index of {}: {}", dir, e.getMessage());
            }
        }
        long baseOffset = logEndOffset;
        advanceEnd(nextOffset, recordCount, now);
        return new AppendResult(baseOffset, nextOffset - 1, NO_TIMESTAMP, logStartOffset, recordCount, false);
    }

    /** Records that {@code epoch} starts at {@code offset}, if it is newer than every epoch known. */
    private void assignEpoch(int epoch, long offset) throws LogException {
        try {
            epochs.assign(epoch, offset);
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not write the leader epoch checkpoint of " + dir
                    + ": " + e.getMessage(), e);
        }
    }

    /** After a failed append: epochs assigned to offsets that were not written go again. */
    private void forgetEpochsFromEnd() {
        try {
            epochs.truncateFromEnd(logEndOffset);
        } catch (IOException e) {
            // The next open drops entries past the log end anyway.
            log.warn("Could not rewrite the leader epoch checkpoint of {}: {}", dir, e.getMessage());
        }
    }

    /** The newest leader epoch that appended to this log, or -1 if none did. */
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    /**
     * OffsetsForLeaderEpoch: for the latest epoch, (latest, log end offset); for an older one, the largest epoch
     * at or below it and the offset where the next epoch starts. {@link EpochEndOffset#UNDEFINED} when the log knows
     * no epoch, or {@code requestedEpoch} is below the first or above the latest one.
     */
    public EpochEndOffset endOffsetForEpoch(int requestedEpoch) {
        return epochs.endOffsetFor(requestedEpoch, logEndOffset);
    }

    /** Writes batches that end below {@code nextOffset} to the active segment, rolling it first if due. */
    private void write(ByteBuffer batches, long nextOffset, long maxTimestamp, long offsetOfMaxTimestamp, long now)
            throws LogException {
        try {
            LogSegment active = segments.last();
            if (active.shouldRoll(batches.remaining(), maxTimestamp, nextOffset - 1, now, config)) active = roll(now);
            active.append(batches, nextOffset - 1, maxTimestamp, offsetOfMaxTimestamp);
            active.touch(now);
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not write to " + dir + ": " + e.getMessage(), e);
        }
    }

    private void advanceEnd(long nextOffset, int recordCount, long now) {
        logEndOffset = nextOffset;
        if (unflushedRecords == 0) firstUnflushedAppendMs = now;
        unflushedRecords += recordCount;
    }

    /**
     * The last stable offset: below it every transaction is decided, so read_committed consumers may read up to it.
     * The first offset of the oldest open transaction, or the log end when none is open.
     */
    public long lastStableOffset() {
        return transactions.lastStableOffset(logEndOffset);
    }

    /** Whether {@code producerId} has a transaction open here at exactly {@code epoch}. Owner only. */
    public boolean hasOngoingTransaction(long producerId, short epoch) {
        return transactions.hasOngoing(producerId, epoch);
    }

    /** Aborted transactions overlapping {@code [fetchOffset, upperBound)}, for a read_committed fetch. */
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBound) {
        return transactions.abortedTransactions(fetchOffset, upperBound);
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
        LogSegment segment;
        try {
            ProducerStateSnapshot.write(dir, logEndOffset, producers.entries(), false);
            ProducerStateSnapshot.retainNewest(dir);
            segment = LogSegment.create(dir, logEndOffset, config.indexIntervalBytes(), now);
        } catch (IOException | RuntimeException e) {
            // A full disk: the old segment stays the active one and the next append tries to roll again.
            try {
                old.unseal();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
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
        return read(fetchOffset, maxBytes, minOneBatch, Long.MAX_VALUE);
    }

    /**
     * {@link #read(long, int, boolean)} that stops before the first batch at or above {@code maxOffset}: a
     * read_committed fetch passes the last stable offset, which is always a batch boundary.
     */
    public ReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch, long maxOffset) throws LogException {
        ReadResult full = readUpToEnd(fetchOffset, maxBytes, minOneBatch);
        if (maxOffset >= logEndOffset || full.sizeInBytes() == 0) return full;
        ByteBuffer records = full.records();
        int end = 0;
        while (end + LOG_OVERHEAD <= records.limit() && BatchLayout.baseOffset(records, end) < maxOffset) {
            end += BatchLayout.size(records, end);
        }
        return new ReadResult(full.logStartOffset(), full.logEndOffset(), records.limit(end).slice().asReadOnlyBuffer(),
                full.channel(), full.position());
    }

    private ReadResult readUpToEnd(long fetchOffset, int maxBytes, boolean minOneBatch) throws LogException {
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

    /**
     * The high watermark core last set, clamped to the log's offsets; persisted on flush and close. Storage does
     * not act on it (reads are not bounded by it).
     */
    public long highWatermark() {
        return highWatermark.get();
    }

    /** Owner: moves the high watermark to {@code hw}, clamped to [log start offset, log end offset]. */
    public void updateHighWatermark(long hw) {
        highWatermark.set(HighWatermarkCheckpoint.clamp(hw, logStartOffset, logEndOffset));
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

    /** Base offset of the active (last) segment. */
    public long activeSegmentBaseOffset() {
        return segments.last().baseOffset();
    }

    /** The settings in force. Safe from any thread. */
    public LogConfig config() {
        return config;
    }

    /**
     * Applies changed topic configs (retention, cleanup policy, flush policy, max.message.bytes, segment size for
     * the next roll).
     * Owner only.
     */
    public void updateConfig(LogConfig newConfig) {
        if (newConfig.maxMessageBytes() != config.maxMessageBytes()) {
            validator = new BatchValidator(newConfig.maxMessageBytes());
        }
        this.config = newConfig;
    }

    // ---- flush -----------------------------------------------------------------------------------------------

    /** True once flush.messages records or flush.ms of time have piled up unflushed: time to call {@link #flush()}. */
    public boolean needsFlush() {
        if (unflushedRecords == 0) return false;
        return unflushedRecords >= config.flushMessages()
                || clock.millis() - firstUnflushedAppendMs >= config.flushMs();
    }

    /** True once flush.messages records are unflushed: the append that got there should wait for an fsync. */
    public boolean flushDueByCount() {
        return unflushedRecords > 0 && unflushedRecords >= config.flushMessages();
    }

    /**
     * Milliseconds until flush.ms makes the unflushed appends due (0 if already due), or -1 if there is nothing
     * unflushed or flush.ms is off.
     */
    public long millisUntilTimedFlush() {
        if (unflushedRecords == 0 || config.flushMs() == Long.MAX_VALUE) return -1;
        return Math.max(0, firstUnflushedAppendMs + config.flushMs() - clock.millis());
    }

    /** True when sealed segments hold data above the recovery point: Kafka flushes a segment once it is rolled. */
    public boolean hasUnflushedSealedSegments() {
        return recoveryPoint < segments.last().baseOffset();
    }

    /**
     * Owner: plans an fsync of everything below {@code upTo} (capped at the log end): the segments holding offsets
     * from the recovery point up to there, and the directory if files were created. Appends may continue while
     * the task runs elsewhere; it covers exactly the data appended before this call. Returns null if that data is
     * already durable.
     */
    public FlushTask prepareFlush(long upTo) {
        ensureOpenUnchecked();
        long target = Math.min(upTo, logEndOffset);
        boolean syncDirectory = directoryDirty;
        if (target <= recoveryPoint && !syncDirectory) {
            if (target >= logEndOffset) resetUnflushed();
            return null;
        }
        List<LogSegment> toSync = new java.util.ArrayList<>();
        if (target > recoveryPoint) {
            long firstBase = segments.first().baseOffset();
            int from = Math.max(0, segments.floorIndex(Math.max(recoveryPoint - 1, firstBase)));
            int to = Math.max(from, segments.floorIndex(Math.max(target - 1, firstBase)));
            for (int i = from; i <= to; i++) toSync.add(segments.get(i));
        }
        directoryDirty = false;
        if (target >= logEndOffset) resetUnflushed();
        return new FlushTask(target, toSync, syncDirectory, checkpoints.epoch());
    }

    /**
     * Owner, after {@link FlushTask#run()}: publishes the new recovery point, or after a failure puts back what
     * the task did not get done.
     */
    public void completeFlush(FlushTask task, boolean succeeded) {
        if (succeeded) {
            if (task.epoch == checkpoints.epoch() && task.target > recoveryPoint) recoveryPoint = task.target;
        } else if (task.syncDirectory) {
            directoryDirty = true;
        }
    }

    /**
     * The blocking half of a flush: fsyncs the captured segments and directory, then raises and persists the
     * recovery point. Runs on any one thread; segments that were closed meanwhile (deleted by retention or
     * replaced by the cleaner) need no fsync and are skipped.
     */
    public final class FlushTask {
        private final long target;
        private final List<LogSegment> toSync;
        private final boolean syncDirectory;
        private final int epoch;

        private FlushTask(long target, List<LogSegment> toSync, boolean syncDirectory, int epoch) {
            this.target = target;
            this.toSync = toSync;
            this.syncDirectory = syncDirectory;
            this.epoch = epoch;
        }

        /** Every offset below this is durable once the task has run. */
        public long target() {
            return target;
        }

        public void run() throws IOException {
            for (LogSegment segment : toSync) {
                try {
                    segment.flush();
                } catch (java.nio.channels.ClosedChannelException gone) {
                    // Deleted or replaced since the flush was planned: nothing of it is left to make durable.
                }
            }
            if (syncDirectory) IoUtil.fsyncDirectory(dir);
            if (checkpoints.advanceRecoveryPoint(target, epoch)) checkpoints.write();
            highWatermark.write();
        }

        @Override
        public String toString() {
            return "FlushTask[" + dir.getFileName() + " up to " + target + ", " + toSync.size() + " segment(s)]";
        }
    }

    /**
     * fsyncs everything up to the log end and persists it as the recovery point. Blocking, and like every other
     * method not safe to run while another thread appends: the owner must hand the log to the flushing thread.
     */
    public void flush() throws IOException {
        ensureOpenUnchecked();
        FlushTask task = prepareFlush(logEndOffset);
        boolean ok = false;
        try {
            if (task != null) task.run();
            if (!Files.exists(dir.resolve(LogFiles.CHECKPOINT))) checkpoints.write();
            if (task == null) highWatermark.write();
            ok = true;
        } finally {
            if (task != null) completeFlush(task, ok);
        }
    }

    // ---- retention and truncation ----------------------------------------------------------------------------

    /**
     * The blocking half of deleting segments: persists the new log start offset first (so an interrupted deletion
     * is finished by the next open), then closes and deletes the segment files. Runs on any one thread.
     */
    public final class SegmentDeletion {
        private final List<LogSegment> doomed;
        private final long newLogStartOffset;
        private final String reason;

        private SegmentDeletion(List<LogSegment> doomed, long newLogStartOffset, String reason) {
            this.doomed = doomed;
            this.newLogStartOffset = newLogStartOffset;
            this.reason = reason;
        }

        public int segments() {
            return doomed.size();
        }

        public long bytes() {
            long total = 0;
            for (LogSegment s : doomed) total += s.size();
            return total;
        }

        public long logStartOffset() {
            return newLogStartOffset;
        }

        /** Base offsets of the segments going, ascending. */
        public List<Long> baseOffsets() {
            List<Long> bases = new java.util.ArrayList<>(doomed.size());
            for (LogSegment s : doomed) bases.add(s.baseOffset());
            return bases;
        }

        public void run() throws IOException {
            checkpoints.write();
            epochs.write();
            highWatermark.write();
            IOException failure = null;
            for (LogSegment s : doomed) {
                try {
                    s.delete();
                } catch (IOException e) {
                    if (failure == null) failure = e;
                    else failure.addSuppressed(e);
                }
            }
            if (!doomed.isEmpty()) {
                log.info("Deleted {} segment(s) of {} ({}), {} bytes; the log now starts at offset {}", doomed.size(),
                        dir.getFileName(), reason, bytes(), newLogStartOffset);
            }
            if (failure != null) throw failure;
        }

        @Override
        public String toString() {
            return "SegmentDeletion[" + dir.getFileName() + ", " + doomed.size() + " segment(s), " + reason + "]";
        }
    }

    /**
     * Owner: applies retention (Kafka's deleteOldSegments). Whole segments go, oldest first, while they are
     * (with cleanup.policy=delete) older than retention.ms by their newest record, or while the log would still
     * be at least retention.bytes without them, or (any policy) once they lie wholly below the log start offset.
     * The active segment goes too when it qualifies, after a roll. The log start offset moves up at once; the
     * returned task (null if nothing goes) deletes the files. Does nothing while a clean is in progress.
     */
    public SegmentDeletion planRetention(long nowMs) throws LogException {
        ensureOpen();
        if (activeClean != null) return null;
        CleanupConfig c = config.cleanup();
        int n = 0;
        String reason = null;
        while (n < segments.size() - 1 && segments.get(n + 1).baseOffset() <= logStartOffset) {
            n++;
            reason = "below the log start offset";
        }
        // The active segment goes only if it holds data (it is rolled first); sealed ones, even empty, may go.
        int candidates = segments.last().isEmpty() ? segments.size() - 1 : segments.size();
        if (c.delete() && c.retentionMs() >= 0) {
            while (n < candidates && nowMs - segments.get(n).largestTimestamp() > c.retentionMs()) {
                n++;
                reason = "retention.ms " + c.retentionMs() + " exceeded";
            }
        }
        if (c.delete() && c.retentionBytes() >= 0) {
            long excess = sizeInBytes() - c.retentionBytes();
            for (int i = 0; i < n; i++) excess -= segments.get(i).size();
            while (n < candidates && excess - segments.get(n).size() >= 0) {
                excess -= segments.get(n).size();
                n++;
                reason = "retention.bytes " + c.retentionBytes() + " exceeded";
            }
        }
        if (n == 0) return null;
        try {
            if (n == segments.size()) roll(nowMs);
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not roll " + dir + " for retention: " + e.getMessage(), e);
        }
        return removeSegments(n, reason);
    }

    private SegmentDeletion removeSegments(int count, String reason) {
        List<LogSegment> doomed = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) doomed.add(segments.removeFirst());
        logStartOffset = Math.max(logStartOffset, segments.first().baseOffset());
        firstDirtyOffset = Math.max(firstDirtyOffset, logStartOffset);
        checkpoints.logStartOffset(logStartOffset);
        transactions.deleteBelow(logStartOffset);
        logStartMoved();
        return new SegmentDeletion(doomed, logStartOffset, reason);
    }

    /** DeleteRecords: moves the log start up (never past the log end) and deletes segments wholly below it. */
    public void advanceLogStartOffset(long offset) throws LogException {
        SegmentDeletion deletion = advanceLogStartOffsetDeferred(offset);
        if (deletion == null) return;
        try {
            deletion.run();
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not delete segments of " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Owner: DeleteRecords. Moves the log start offset to {@code offset} at once (reads below it fail with
     * OFFSET_OUT_OF_RANGE from now on) and returns the task that persists it and deletes the segments now wholly
     * below it, or null if the log start does not move. While a clean is in progress the segments stay until the
     * next retention pass.
     */
    public SegmentDeletion advanceLogStartOffsetDeferred(long offset) throws LogException {
        ensureOpen();
        if (offset > logEndOffset) {
            throw new LogException(LogError.OFFSET_OUT_OF_RANGE, "cannot move the log start offset to " + offset
                    + ", past the log end offset " + logEndOffset);
        }
        if (offset <= logStartOffset) return null;
        logStartOffset = offset;
        firstDirtyOffset = Math.max(firstDirtyOffset, logStartOffset);
        checkpoints.logStartOffset(offset);
        int n = 0;
        if (activeClean == null) {
            while (n < segments.size() - 1 && segments.get(n + 1).baseOffset() <= offset) n++;
        }
        List<LogSegment> doomed = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) doomed.add(segments.removeFirst());
        transactions.deleteBelow(logStartOffset);
        logStartMoved();
        return new SegmentDeletion(doomed, logStartOffset, "DeleteRecords to offset " + offset);
    }

    /** The log start moved up: epochs before it are cut (persisted by the deletion task), the HW follows. */
    private void logStartMoved() {
        epochs.truncateFromStart(logStartOffset);
        if (highWatermark.get() < logStartOffset) highWatermark.set(logStartOffset);
    }

    /**
     * Removes every batch holding an offset >= {@code offset}; a batch straddling it goes entirely, so the log end
     * becomes that batch's base offset. Below the first segment the log restarts empty at {@code offset}.
     * Blocking. A clean in progress is abandoned.
     */
    public void truncateTo(long offset) throws IOException {
        ensureOpenUnchecked();
        if (offset >= logEndOffset) return;
        abortClean();
        CleanShutdownMarker.remove(dir);
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
        firstDirtyOffset = Math.min(firstDirtyOffset, logEndOffset);
        resetUnflushed();
        ProducerStateSnapshot.deleteAbove(dir, logEndOffset);
        rebuildProducerState();
        epochs.truncateFromEnd(logEndOffset);
        if (highWatermark.get() > logEndOffset) highWatermark.set(logEndOffset);
        // A stale higher recovery point would let a crash skip scanning data appended after this.
        checkpoints.reset(logStartOffset, recoveryPoint);
        checkpoints.write();
        log.info("Truncated {} to offset {} (asked for {})", dir, logEndOffset, offset);
    }

    /**
     * Empties the log and restarts it at {@code offset}, forgetting producer state, transactions and leader
     * epochs; the high watermark becomes {@code offset}. A follower whose fetch offset fell below the leader's log
     * start restarts there. Blocking. A clean in progress is abandoned.
     */
    public void truncateFullyAndStartAt(long offset) throws IOException {
        ensureOpenUnchecked();
        if (offset < 0) throw new IllegalArgumentException("negative offset " + offset);
        abortClean();
        CleanShutdownMarker.remove(dir);
        for (LogSegment s : segments.removeFrom(0)) s.delete();
        segments.add(LogSegment.create(dir, offset, config.indexIntervalBytes(), clock.millis()));
        logStartOffset = offset;
        logEndOffset = offset;
        recoveryPoint = offset;
        firstDirtyOffset = offset;
        resetUnflushed();
        ProducerStateSnapshot.deleteAll(dir);
        producers.clear();
        transactions.deleteAll();
        epochs.clear();
        highWatermark.set(offset);
        IoUtil.fsyncDirectory(dir);
        checkpoints.reset(logStartOffset, recoveryPoint);
        checkpoints.write();
        log.info("Truncated {} fully; it restarts at offset {}", dir, offset);
    }

    /** The producers whose state the log keeps, for DescribeProducers. Owner only. */
    public List<ActiveProducer> activeProducers() {
        List<ActiveProducer> active = new java.util.ArrayList<>();
        for (ProducerStateEntry e : producers.entries()) {
            active.add(new ActiveProducer(e.producerId(), e.epoch(), e.lastSeq(), e.lastTimestamp(),
                    e.currentTxnFirstOffset()));
        }
        return active;
    }

    /** Forgets idle producers without an open transaction (Kafka's producer.id.expiration.ms); returns how many. */
    public int removeExpiredProducers(long maxIdleMs) {
        return producers.removeExpired(clock.millis(), maxIdleMs);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** Flushes, then writes the producer snapshot, the checkpoint and the clean-shutdown marker. Blocking. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closing = true;
        try {
            segments.last().appendFinalTimeIndexEntry();
            flush();
            checkpoints.write();
            // Without fsync, like the marker: a snapshot lost in a power cut is rebuilt from the log.
            ProducerStateSnapshot.write(dir, logEndOffset, producers.entries(), false);
            ProducerStateSnapshot.retainNewest(dir);
            LogSegment last = segments.last();
            new CleanShutdownMarker(segments.size(), last.baseOffset(), last.size()).write(dir);
        } finally {
            closed = true;
            closeSegments();
        }
    }

    /** Closes the log and removes its whole directory. Blocking. */
    public void delete() throws IOException {
        closing = true;
        try {
            if (!closed) {
                closed = true;
                closeSegments();
            }
        } finally {
            deleteDirectory();
        }
    }

    /** A cleaner still finishing a write may add a file while the tree is removed: try again briefly. */
    private void deleteDirectory() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                IoUtil.deleteRecursively(dir);
                return;
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                if (attempt == 5) throw e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Marks the log as going away, from any thread: a cleaner working on it stops at its next step. Called
     * before handing the log to {@link #close()} or {@link #delete()} on another thread.
     */
    public void markClosing() {
        closing = true;
    }

    /** Lets go of the files without flushing or marking a clean shutdown, as a crash would (tests, storage errors). */
    void closeUncleanly() throws IOException {
        if (closed) return;
        closing = true;
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

    // ---- compaction hooks (owner only, for LogCleaner) ------------------------------------------------------

    SegmentList segments() {
        return segments;
    }

    Clock clock() {
        return clock;
    }

    boolean isClosing() {
        return closing || closed;
    }

    long firstDirtyOffset() {
        return firstDirtyOffset;
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

    /** After a swap: the cleaned segments replace the first {@code count} segments. */
    void replaceSegments(int count, List<LogSegment> cleaned, long newFirstDirty, long newDeleteHorizonMs) {
        List<LogSegment> rest = segments.removeFrom(count);
        segments.removeFrom(0);
        for (LogSegment s : cleaned) segments.add(s);
        for (LogSegment s : rest) segments.add(s);
        firstDirtyOffset = Math.max(newFirstDirty, logStartOffset);
        deleteHorizonMs = newDeleteHorizonMs;
    }

    /** For each producer, the last offset of its newest batch: those batches survive compaction, even empty. */
    java.util.Map<Long, Long> lastBatchOffsetsOfProducers() {
        java.util.Map<Long, Long> last = new java.util.HashMap<>();
        for (ProducerStateEntry e : producers.entries()) {
            BatchMetadata newest = null;
            for (BatchMetadata b : e.batches()) newest = b;
            if (newest != null) last.put(e.producerId(), newest.lastOffset());
        }
        return last;
    }

    private void abortClean() {
        if (activeClean != null) {
            activeClean.abort();
            if (activeClean.isSwapping()) {
                throw new IllegalStateException("cannot truncate " + dir + " while a compaction swap is being applied");
            }
        }
    }

    // ---- internals -------------------------------------------------------------------------------------------

    /** Loads the newest usable snapshot at or below the log end and replays the batch headers after it. */
    private void rebuildProducerState() throws IOException {
        // One listing for both steps: start-up runs this for every partition.
        List<Long> snapshots = new java.util.ArrayList<>(ProducerStateSnapshot.offsets(dir));
        for (java.util.Iterator<Long> it = snapshots.iterator(); it.hasNext(); ) {
            long o = it.next();
            if (o > logEndOffset) {
                Files.deleteIfExists(ProducerStateSnapshot.path(dir, o));
                it.remove();
            }
        }
        Optional<ProducerStateSnapshot.Loaded> snapshot = ProducerStateSnapshot.readLatest(dir, snapshots, logEndOffset);
        producers.clear();
        long from = segments.first().baseOffset();
        if (snapshot.isPresent()) {
            producers.load(snapshot.get().entries());
            from = Math.max(from, snapshot.get().offset());
        }
        // Aborts at or past the replay start come back from their markers below; none may be counted twice.
        transactions.truncateFrom(from);
        if (from >= logEndOffset) return;
        BatchScanner scanner = new BatchScanner(REPLAY_BUFFER_BYTES, false);
        for (int i = Math.max(0, segments.floorIndex(from)); i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            scanner.reset(segment.channel(), segment.lookupPosition(from), segment.size());
            while (scanner.next(false)) {
                if (scanner.lastOffset() < from) continue;
                ByteBuffer b = scanner.buffer();
                if (producerId(b, scanner.offset()) <= NO_PRODUCER_ID) continue;
                if (isControl(b, scanner.offset())) scanner.loadWholeBatch();
                replay(scanner.buffer(), scanner.offset(), segment.baseOffset());
            }
        }
    }

    /** Applies the batch at {@code at} (whole, if a control batch) to producer and transaction state. */
    private void replay(ByteBuffer b, int at, long segmentBase) throws IOException {
        long producerId = producerId(b, at);
        if (producerId <= NO_PRODUCER_ID) return;
        if (isControl(b, at)) {
            transactions.onMarkerReplayed(b, at, segmentBase);
            return;
        }
        int firstSeq = baseSequence(b, at);
        producers.replay(producerId, producerEpoch(b, at), firstSeq, lastSequence(firstSeq, lastOffsetDelta(b, at)),
                BatchLayout.baseOffset(b, at), BatchLayout.lastOffset(b, at), BatchLayout.maxTimestamp(b, at),
                isTransactional(b, at), isControl(b, at));
    }

    /**
     * Loads the leader epoch checkpoint, rebuilding it from the batches if it is missing or inconsistent, and fits
     * it to the offsets the log holds after recovery.
     */
    private void loadLeaderEpochs() throws IOException {
        epochs = LeaderEpochCache.read(dir);
        if (epochs == null) {
            epochs = LeaderEpochCache.rebuild(dir, segments, REPLAY_BUFFER_BYTES);
            epochs.truncateFromStart(logStartOffset);
            epochs.write();
        }
        epochs.truncateFromEnd(logEndOffset);
        if (epochs.truncateFromStart(logStartOffset)) epochs.write();
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
