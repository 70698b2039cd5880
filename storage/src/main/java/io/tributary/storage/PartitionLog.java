package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
 * editing the offsets in place; reads copy whole batches out with one positional read. A follower appends the
 * leader's batches unchanged ({@link #appendAsFollower}); leader epochs are tracked for OffsetsForLeaderEpoch.
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
 *
 * <p>The parts, each with one job: {@link AppendPlanner} (checks and offsets), {@link SegmentAppender} (writes and
 * rolls), {@link LogReader}, {@link FlushTracker}, {@link RetentionPlanner}, {@link ProducerStateLoader},
 * {@link LeaderEpochCache} and {@link HighWatermarkCheckpoint}. This class owns the positions and ties them up.
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    private final Path dir;
    /** Volatile so other threads (produce validation, the cleaner's scheduler) may read it; written by the owner. */
    private volatile LogConfig config;
    private final Clock clock;
    private final SegmentList segments;
    private final ProducerStateManager producers = new ProducerStateManager();
    private final AppendPlanner planner;
    private final FlushTracker flushes = new FlushTracker();
    private final LogReader reader;
    private final LogLoader.Result loadResult;
    private final CheckpointWriter checkpoints;
    /** Open and aborted transactions; set once at open, before producer state is rebuilt. */
    private PartitionTransactions transactions;
    /** Where each leader epoch starts; set once at open. */
    private LeaderEpochCache epochs;
    /** The high watermark core maintains, persisted on flush and close; set once at open. */
    private HighWatermarkCheckpoint highWatermark;
    /** The parts that need the state loaded at open; set once there. */
    private LogWriter writer;
    private LogTruncation truncation;

    private final LogOffsets offsets;
    private boolean closed;
    /** Set (by any thread) when the log is being closed or deleted: a cleaner reading it gives up. */
    private volatile boolean closing;

    private final CompactionState compaction;

    private PartitionLog(Path dir, LogConfig config, Clock clock, LogLoader.Result loaded) {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.segments = loaded.segments();
        this.planner = new AppendPlanner(producers, config.maxMessageBytes());
        this.reader = new LogReader(dir, segments);
        this.loadResult = loaded;
        this.offsets = new LogOffsets(loaded.logStartOffset(), loaded.logEndOffset(), loaded.recoveryPoint(),
                Math.max(loaded.cleaner().firstDirtyOffset(), loaded.logStartOffset()));
        this.checkpoints = new CheckpointWriter(dir, loaded.logStartOffset(), loaded.recoveryPoint());
        this.compaction = new CompactionState(dir, offsets, segments, loaded.cleaner().deleteHorizonMs());
    }

    /** Opens (creating if absent) the log in {@code dir}, recovering it if it was not closed cleanly. Blocking. */
    public static PartitionLog open(Path dir, LogConfig config, Clock clock) throws IOException {
        LogLoader.Result loaded = LogLoader.load(dir, config, clock.millis());
        PartitionLog l = new PartitionLog(dir, config, clock, loaded);
        try {
            l.loadState();
        } catch (IOException | RuntimeException e) {
            try {
                l.segments.closeAll();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return l;
    }

    /** Transactions, producer state, leader epochs and high watermark, after the segments were recovered. */
    private void loadState() throws IOException {
        transactions = PartitionTransactions.load(dir, producers);
        ProducerStateLoader producerState = new ProducerStateLoader(dir, segments, producers, transactions);
        producerState.rebuild(offsets.logEndOffset);
        epochs = LeaderEpochCache.open(dir, segments, offsets.logStartOffset, offsets.logEndOffset);
        highWatermark = HighWatermarkCheckpoint.load(dir, offsets.logStartOffset, offsets.logEndOffset);
        writer = new LogWriter(dir, clock, offsets, planner, new SegmentAppender(dir, segments, producers, flushes),
                segments, producers, transactions, producerState, epochs, flushes);
        truncation = new LogTruncation(dir, offsets, segments, reader.lookup(), flushes, checkpoints, producers,
                transactions, producerState, epochs, highWatermark);
    }

    // ---- append ----------------------------------------------------------------------------------------------

    /**
     * Appends the v2 batches in {@code records} (position to limit), all or nothing. Every batch is validated
     * before anything is written; then base offsets, leader epoch and (with LogAppendTime) timestamps are edited
     * in place in the caller's buffer, which is written as is. A {@code leaderEpoch} newer than the latest one
     * starts that epoch at this append.
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
        return writer.append(records, leaderEpoch, trusted, config);
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
        return writer.appendAsFollower(records, config);
    }

    /**
     * Appends a transaction marker (a COMMIT or ABORT control batch) for {@code producerId}, ending its open
     * transaction in this partition: the last stable offset moves past it, and an abort is added to the aborted
     * transaction index so read_committed fetches drop its batches. Kafka's WriteTxnMarkers, in process.
     */
    public AppendResult appendMarker(long producerId, short epoch, boolean commit, int coordinatorEpoch,
                                     int leaderEpoch) throws LogException {
        ensureOpen();
        return writer.appendMarker(producerId, epoch, commit, coordinatorEpoch, leaderEpoch, config);
    }

    // ---- leader epochs and high watermark --------------------------------------------------------------------

    /** The newest leader epoch that appended to this log, or -1 if none did. */
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    /**
     * Owner: a new leadership at {@code epoch} starts at the current log end, recorded before any record of it is
     * appended (as Kafka does on becoming leader), so every follower's last fetched epoch is one this log can place.
     * No-op for an epoch not newer than the latest. Writes the checkpoint when it changes.
     */
    public void assignLeaderEpoch(int epoch) throws LogException {
        ensureOpen();
        writer.assignEpochAtLogEnd(epoch);
    }

    /**
     * OffsetsForLeaderEpoch: for the latest epoch, (latest, log end offset); for an older one, the largest epoch
     * at or below it and the offset where the next epoch starts; for one below the first known, (it, the first
     * known one's start). {@link EpochEndOffset#UNDEFINED} when the log knows no epoch, or {@code requestedEpoch}
     * is above the latest one.
     */
    public EpochEndOffset endOffsetForEpoch(int requestedEpoch) {
        return epochs.endOffsetFor(requestedEpoch, offsets.logEndOffset);
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
        highWatermark.set(HighWatermarkCheckpoint.clamp(hw, offsets.logStartOffset, offsets.logEndOffset));
    }

    // ---- transactions ----------------------------------------------------------------------------------------

    /**
     * The last stable offset: below it every transaction is decided, so read_committed consumers may read up to it.
     * The first offset of the oldest open transaction, or the log end when none is open.
     */
    public long lastStableOffset() {
        return transactions.lastStableOffset(offsets.logEndOffset);
    }

    /** Whether {@code producerId} has a transaction open here at exactly {@code epoch}. Owner only. */
    public boolean hasOngoingTransaction(long producerId, short epoch) {
        return transactions.hasOngoing(producerId, epoch);
    }

    /** Aborted transactions overlapping {@code [fetchOffset, upperBound)}, for a read_committed fetch. */
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBound) {
        return transactions.abortedTransactions(fetchOffset, upperBound);
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
        ensureOpen();
        return reader.read(fetchOffset, maxBytes, minOneBatch, maxOffset, offsets.logStartOffset,
                offsets.logEndOffset);
    }

    /**
     * {@link #read(long, int, boolean, long)} without copying: the same whole batches, returned as a slice of the
     * segment file ({@link ReadResult#isSlice()}) found by reading batch headers only. The caller sends the bytes
     * straight from {@link ReadResult#file()}, holding a {@link SegmentFile#retain() reference} while it does.
     */
    public ReadResult readSlice(long fetchOffset, int maxBytes, boolean minOneBatch, long maxOffset)
            throws LogException {
        ensureOpen();
        return reader.readSlice(fetchOffset, maxBytes, minOneBatch, maxOffset, offsets.logStartOffset,
                offsets.logEndOffset);
    }

    /**
     * The first batch (at or above the log start) whose maxTimestamp is >= {@code timestamp}; it holds the first
     * record with such a timestamp, which the caller finds by iterating the records.
     */
    public Optional<RecordBatchView> firstBatchWithMaxTimestampAtLeast(long timestamp) {
        ensureOpenUnchecked();
        return reader.firstBatchWithMaxTimestampAtLeast(timestamp, offsets.logStartOffset);
    }

    /** The earliest batch carrying the largest timestamp in the log (ListOffsets MAX_TIMESTAMP). */
    public Optional<RecordBatchView> batchWithLargestTimestamp() {
        ensureOpenUnchecked();
        return reader.batchWithLargestTimestamp();
    }

    /**
     * The stored batches from the one holding {@code offset} (or the log start) up to the current log end, read
     * lazily in chunks. Each view owns its bytes. I/O errors surface as {@link java.io.UncheckedIOException}.
     */
    public Iterable<RecordBatchView> batchesFrom(long offset) {
        ensureOpenUnchecked();
        return reader.batchesFrom(Math.max(offset, offsets.logStartOffset), offsets.logEndOffset);
    }

    // ---- positions -------------------------------------------------------------------------------------------

    public long logStartOffset() {
        return offsets.logStartOffset;
    }

    public long logEndOffset() {
        return offsets.logEndOffset;
    }

    /** Every offset below this is fsynced. */
    public long recoveryPoint() {
        return offsets.recoveryPoint;
    }

    public int segmentCount() {
        return segments.size();
    }

    public long sizeInBytes() {
        return segments.sizeInBytes();
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
        if (newConfig.maxMessageBytes() != config.maxMessageBytes()) planner.maxMessageBytes(newConfig.maxMessageBytes());
        this.config = newConfig;
    }

    // ---- flush -----------------------------------------------------------------------------------------------

    /** True once flush.messages records or flush.ms of time have piled up unflushed: time to call {@link #flush()}. */
    public boolean needsFlush() {
        return flushes.needsFlush(config, clock.millis());
    }

    /** True once flush.messages records are unflushed: the append that got there should wait for an fsync. */
    public boolean flushDueByCount() {
        return flushes.dueByCount(config);
    }

    /**
     * Milliseconds until flush.ms makes the unflushed appends due (0 if already due), or -1 if there is nothing
     * unflushed or flush.ms is off.
     */
    public long millisUntilTimedFlush() {
        return flushes.millisUntilTimedFlush(config, clock.millis());
    }

    /** True when sealed segments hold data above the recovery point: Kafka flushes a segment once it is rolled. */
    public boolean hasUnflushedSealedSegments() {
        return offsets.recoveryPoint < segments.last().baseOffset();
    }

    /**
     * Owner: plans an fsync of everything below {@code upTo} (capped at the log end): the segments holding offsets
     * from the recovery point up to there, and the directory if files were created. Appends may continue while
     * the task runs elsewhere; it covers exactly the data appended before this call. Returns null if that data is
     * already durable.
     */
    public FlushTask prepareFlush(long upTo) {
        ensureOpenUnchecked();
        FlushTracker.Plan plan = flushes.plan(segments, offsets.recoveryPoint, offsets.logEndOffset, upTo);
        return plan == null ? null : new FlushTask(plan, checkpoints.epoch());
    }

    /**
     * Owner, after {@link FlushTask#run()}: publishes the new recovery point, or after a failure puts back what
     * the task did not get done.
     */
    public void completeFlush(FlushTask task, boolean succeeded) {
        if (succeeded) {
            if (task.epoch == checkpoints.epoch() && task.target() > offsets.recoveryPoint) {
                offsets.recoveryPoint = task.target();
            }
        } else if (task.plan.syncDirectory()) {
            flushes.directoryChanged();
        }
    }

    /**
     * The blocking half of a flush: fsyncs the captured segments and directory, then raises and persists the
     * recovery point and the high watermark. Runs on any one thread; segments that were closed meanwhile (deleted
     * by retention or replaced by the cleaner) need no fsync and are skipped.
     */
    public final class FlushTask {
        private final FlushTracker.Plan plan;
        private final int epoch;

        private FlushTask(FlushTracker.Plan plan, int epoch) {
            this.plan = plan;
            this.epoch = epoch;
        }

        /** Every offset below this is durable once the task has run. */
        public long target() {
            return plan.target();
        }

        public void run() throws IOException {
            FlushTracker.sync(dir, plan);
            if (checkpoints.advanceRecoveryPoint(plan.target(), epoch)) checkpoints.write();
            highWatermark.write();
        }

        @Override
        public String toString() {
            return "FlushTask[" + dir.getFileName() + " up to " + plan.target() + ", " + plan.toSync().size()
                    + " segment(s)]";
        }
    }

    /**
     * fsyncs everything up to the log end and persists it as the recovery point. Blocking, and like every other
     * method not safe to run while another thread appends: the owner must hand the log to the flushing thread.
     */
    public void flush() throws IOException {
        ensureOpenUnchecked();
        FlushTask task = prepareFlush(offsets.logEndOffset);
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
            return SegmentList.sizeOf(doomed);
        }

        public long logStartOffset() {
            return newLogStartOffset;
        }

        /** Base offsets of the segments going, ascending. */
        public List<Long> baseOffsets() {
            return SegmentList.baseOffsets(doomed);
        }

        public void run() throws IOException {
            checkpoints.write();
            epochs.write();
            highWatermark.write();
            try {
                SegmentList.deleteAll(doomed);
            } finally {
                if (!doomed.isEmpty()) {
                    log.info("Deleted {} segment(s) of {} ({}), {} bytes; the log now starts at offset {}",
                            doomed.size(), dir.getFileName(), reason, bytes(), newLogStartOffset);
                }
            }
        }

        @Override
        public String toString() {
            return "SegmentDeletion[" + dir.getFileName() + ", " + doomed.size() + " segment(s), " + reason + "]";
        }
    }

    /**
     * Owner: applies retention (see {@link RetentionPlanner#retention}). The active segment goes too when it
     * qualifies, after a roll. The log start offset moves up at once; the returned task (null if nothing goes)
     * deletes the files. Does nothing while a clean is in progress.
     */
    public SegmentDeletion planRetention(long nowMs) throws LogException {
        ensureOpen();
        if (compaction.inProgress()) return null;
        RetentionPlanner.Decision d =
                RetentionPlanner.retention(segments, config.cleanup(), offsets.logStartOffset, nowMs);
        if (d.count() == 0) return null;
        try {
            if (d.count() == segments.size()) writer.roll(nowMs, config);
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not roll " + dir + " for retention: " + e.getMessage(), e);
        }
        List<LogSegment> doomed = truncation.moveLogStart(segments.get(d.count()).baseOffset(), d.count());
        return new SegmentDeletion(doomed, offsets.logStartOffset, d.reason());
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
        if (offset > offsets.logEndOffset) {
            throw new LogException(LogError.OFFSET_OUT_OF_RANGE, "cannot move the log start offset to " + offset
                    + ", past the log end offset " + offsets.logEndOffset);
        }
        if (offset <= offsets.logStartOffset) return null;
        int n = !compaction.inProgress() ? RetentionPlanner.whollyBelow(segments, offset) : 0;
        List<LogSegment> doomed = truncation.moveLogStart(offset, n);
        return new SegmentDeletion(doomed, offsets.logStartOffset, "DeleteRecords to offset " + offset);
    }

    /**
     * Removes every batch holding an offset >= {@code offset}; a batch straddling it goes entirely, so the log end
     * becomes that batch's base offset. Below the first segment the log restarts empty at {@code offset}. Producer
     * state, transactions and leader epochs are cut back with it, and the high watermark is at most the new end.
     * Blocking. A clean in progress is abandoned.
     */
    public void truncateTo(long offset) throws IOException {
        ensureOpenUnchecked();
        if (offset >= offsets.logEndOffset) {
            // Nothing to cut, but an epoch this replica started as leader without appending in it may sit at the
            // log end; a follower whose last epoch is one the leader never had would diverge again on every fetch.
            epochs.truncateFromEnd(offsets.logEndOffset);
            return;
        }
        compaction.abortForTruncation();
        CleanShutdownMarker.remove(dir);
        if (offset < segments.first().baseOffset()) {
            truncateFullyAndStartAt(offset);
            return;
        }
        truncation.truncateTo(offset);
    }

    /**
     * Empties the log and restarts it at {@code offset}, forgetting producer state, transactions and leader
     * epochs; the high watermark becomes {@code offset}. A follower whose fetch offset fell below the leader's log
     * start restarts there. Blocking. A clean in progress is abandoned.
     */
    public void truncateFullyAndStartAt(long offset) throws IOException {
        ensureOpenUnchecked();
        if (offset < 0) throw new IllegalArgumentException("negative offset " + offset);
        compaction.abortForTruncation();
        CleanShutdownMarker.remove(dir);
        truncation.truncateFullyAndStartAt(offset, config.indexIntervalBytes(), clock.millis());
    }

    // ---- producers -------------------------------------------------------------------------------------------

    /** The producers whose state the log keeps, for DescribeProducers. Owner only. */
    public List<ActiveProducer> activeProducers() {
        return producers.activeProducers();
    }

    /** Forgets idle producers without an open transaction (Kafka's producer.id.expiration.ms); returns how many. */
    public int removeExpiredProducers(long maxIdleMs) {
        return producers.removeExpired(clock.millis(), maxIdleMs);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /**
     * Flushes, then writes the producer snapshot, the checkpoints (the high watermark too) and the clean-shutdown
     * marker. Blocking.
     */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closing = true;
        try {
            segments.last().appendFinalTimeIndexEntry();
            flush();
            checkpoints.write();
            // Without fsync, like the marker: a snapshot lost in a power cut is rebuilt from the log.
            ProducerStateSnapshot.write(dir, offsets.logEndOffset, producers.entries(), false);
            ProducerStateSnapshot.retainNewest(dir);
            LogSegment last = segments.last();
            new CleanShutdownMarker(segments.size(), last.baseOffset(), last.size()).write(dir);
        } finally {
            closed = true;
            segments.closeAll();
        }
    }

    /** Closes the log and removes its whole directory. Blocking. */
    public void delete() throws IOException {
        closing = true;
        try {
            if (!closed) {
                closed = true;
                segments.closeAll();
            }
        } finally {
            // A cleaner still finishing a write may add a file while the tree is removed.
            IoUtil.deleteRecursivelyRetrying(dir);
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
        segments.closeAll();
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

    CompactionState compaction() {
        return compaction;
    }

    // ---- internals -------------------------------------------------------------------------------------------

    private void ensureOpen() throws LogException {
        if (closed) throw new LogException(LogError.STORAGE_ERROR, "the partition log " + dir + " is closed");
    }

    private void ensureOpenUnchecked() {
        if (closed) throw new IllegalStateException("the partition log " + dir + " is closed");
    }

    @Override
    public String toString() {
        return "PartitionLog[" + dir + ", offsets " + offsets.logStartOffset + ".." + offsets.logEndOffset
                + ", segments " + segments.size() + "]";
    }
}
