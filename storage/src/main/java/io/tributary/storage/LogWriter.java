package io.tributary.storage;

import io.tributary.storage.ProducerStateEntry.BatchMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;

import static io.tributary.storage.BatchLayout.*;

/**
 * Every kind of append, start to finish: plan (validate, place the offsets), record a new leader epoch, write to
 * the active segment, then bring producer state, transactions and the log end along. Anything that fails before
 * the write leaves the log as it was. Owner only; see {@link PartitionLog}'s append methods for the contracts.
 */
final class LogWriter {
    private static final Logger log = LoggerFactory.getLogger(LogWriter.class);

    private final Path dir;
    private final Clock clock;
    private final LogOffsets offsets;
    private final AppendPlanner planner;
    private final SegmentAppender appender;
    private final SegmentList segments;
    private final ProducerStateManager producers;
    private final PartitionTransactions transactions;
    private final ProducerStateLoader replayer;
    private final LeaderEpochCache epochs;
    private final FlushTracker flushes;

    LogWriter(Path dir, Clock clock, LogOffsets offsets, AppendPlanner planner, SegmentAppender appender,
              SegmentList segments, ProducerStateManager producers, PartitionTransactions transactions,
              ProducerStateLoader replayer, LeaderEpochCache epochs, FlushTracker flushes) {
        this.dir = dir;
        this.clock = clock;
        this.offsets = offsets;
        this.planner = planner;
        this.appender = appender;
        this.segments = segments;
        this.producers = producers;
        this.transactions = transactions;
        this.replayer = replayer;
        this.epochs = epochs;
        this.flushes = flushes;
    }

    AppendResult append(ByteBuffer records, int leaderEpoch, boolean trusted, LogConfig config) throws LogException {
        ByteBuffer buf = records.isReadOnly() ? AppendPlanner.writableCopy(records) : records;
        long now = clock.millis();
        long appendTime = config.logAppendTime() ? now : NO_TIMESTAMP;
        AppendPlanner.Plan plan = planner.planLeader(buf, offsets.logEndOffset, appendTime, trusted);
        if (plan.duplicate() != null) return duplicateResult(plan.duplicate(), config);
        planner.assignOffsets(buf, plan, leaderEpoch, appendTime);
        try {
            assignEpoch(leaderEpoch, plan.baseOffset());
            write(buf, plan, now, config);
        } catch (LogException e) {
            producers.discardPending();
            forgetEpochsFromEnd();
            throw e;
        }
        producers.commitPending();
        advanceEnd(plan.nextOffset(), plan.recordCount(), now);
        return new AppendResult(plan.baseOffset(), plan.nextOffset() - 1, appendTime, offsets.logStartOffset,
                plan.recordCount(), false);
    }

    AppendResult appendAsFollower(ByteBuffer records, LogConfig config) throws LogException {
        ByteBuffer buf = records.duplicate();
        long now = clock.millis();
        AppendPlanner.Plan plan = planner.planFollower(buf, offsets.logEndOffset);
        try {
            for (int at = plan.start(); at < plan.end(); at += BatchLayout.size(buf, at)) {
                assignEpoch(BatchLayout.partitionLeaderEpoch(buf, at), BatchLayout.baseOffset(buf, at));
            }
            write(buf, plan, now, config);
        } catch (LogException e) {
            forgetEpochsFromEnd();
            throw e;
        }
        long segmentBase = segments.last().baseOffset();
        for (int at = plan.start(); at < plan.end(); at += BatchLayout.size(buf, at)) {
            try {
                replayer.replay(buf, at, segmentBase);
            } catch (IOException e) {
                // The batch is in the log: a restart rebuilds the aborted transaction index from it.
                log.warn("Could not write the aborted transaction index of {}: {}", dir, e.getMessage());
            }
        }
        advanceEnd(plan.nextOffset(), plan.recordCount(), now);
        return new AppendResult(plan.baseOffset(), plan.nextOffset() - 1, NO_TIMESTAMP, offsets.logStartOffset,
                plan.recordCount(), false);
    }

    AppendResult appendMarker(long producerId, short epoch, boolean commit, int coordinatorEpoch, int leaderEpoch,
                              LogConfig config) throws LogException {
        transactions.checkMarkerEpoch(producerId, epoch);
        long now = clock.millis();
        long offset = offsets.logEndOffset;
        ByteBuffer batch = ControlBatch.build(producerId, epoch, commit, coordinatorEpoch, now);
        batch.putLong(BASE_OFFSET, offset).putInt(PARTITION_LEADER_EPOCH, leaderEpoch);
        try {
            assignEpoch(leaderEpoch, offset);
            appender.write(batch, offset + 1, now, offset, now, config, offset);
        } catch (LogException e) {
            forgetEpochsFromEnd();
            throw e;
        }
        advanceEnd(offset + 1, 1, now);
        transactions.onMarkerAppended(producerId, epoch, commit, offset, segments.last().baseOffset(), now);
        return new AppendResult(offset, offset, NO_TIMESTAMP, offsets.logStartOffset, 1, false);
    }

    /** Rolls the active segment now (retention removing it too). */
    void roll(long now, LogConfig config) throws IOException {
        appender.roll(now, config, offsets.logEndOffset);
    }

    private void write(ByteBuffer buf, AppendPlanner.Plan plan, long now, LogConfig config) throws LogException {
        appender.write(buf.duplicate().limit(plan.end()).position(plan.start()), plan.nextOffset(),
                plan.maxTimestamp(), plan.offsetOfMaxTimestamp(), now, config, offsets.logEndOffset);
    }

    private void advanceEnd(long nextOffset, int recordCount, long now) {
        offsets.logEndOffset = nextOffset;
        flushes.onAppend(recordCount, now);
    }

    private AppendResult duplicateResult(BatchMetadata original, LogConfig config) {
        return new AppendResult(original.firstOffset(), original.lastOffset(),
                config.logAppendTime() ? original.timestamp() : NO_TIMESTAMP, offsets.logStartOffset,
                (int) (original.lastOffset() - original.firstOffset() + 1), true);
    }

    /** Records that {@code epoch} starts at the log end, if it is newer than every epoch known. */
    void assignEpochAtLogEnd(int epoch) throws LogException {
        assignEpoch(epoch, offsets.logEndOffset);
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
            epochs.truncateFromEnd(offsets.logEndOffset);
        } catch (IOException e) {
            // The next open drops entries past the log end anyway.
            log.warn("Could not rewrite the leader epoch checkpoint of {}: {}", dir, e.getMessage());
        }
    }
}
