package io.tributary.core.partition;

import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metrics.PartitionMetrics;
import io.tributary.storage.AppendResult;
import io.tributary.storage.EpochEndOffset;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogException;
import io.tributary.storage.PartitionLog;
import io.tributary.storage.ReadResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition replica on this broker: its log, its role (leader or follower, with the leader epoch), the high
 * watermark, and what waits on it (fetches for the next append, acks=all produces for replication).
 * Every method except {@link #owner()} and the identity getters must run on the owner context;
 * that single-owner rule is what lets the append and read paths run without locks.
 *
 * <p>As leader the partition tracks its followers' log ends (learnt from their fetches) and moves the high
 * watermark to the smallest log end in the ISR; as follower it takes the leader's high watermark, capped by its
 * own log end. A partition whose ISR is only itself (every partition of a standalone broker) has its high
 * watermark at its log end.
 */
public final class Partition {

    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final Context owner;
    private final PartitionLog log;
    private final int localId;
    private volatile PartitionState state;
    private int leaderEpoch;
    private volatile boolean leader;
    private long highWatermark;
    private final FollowerProgress followers = new FollowerProgress();
    private final ReplicationWaiters replicationWaiters = new ReplicationWaiters();
    private List<Runnable> appendWaiters = new ArrayList<>();
    private boolean closed;
    /** Blocking log work (fsync, segment deletion) for this partition, in order, off the event loop. */
    private final BlockingLane lane;
    private final PartitionFlusher flusher;
    private final PartitionMetrics metrics;

    Partition(TopicPartition topicPartition, Uuid topicId, Context owner, PartitionLog log, PartitionState initial,
              int localId, long nowMs, PartitionMetrics metrics) {
        this.metrics = metrics;
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.owner = owner;
        this.log = log;
        this.localId = localId;
        this.lane = new BlockingLane(owner);
        this.flusher = new PartitionFlusher(this, log, owner, lane);
        this.highWatermark = Math.min(log.highWatermark(), log.logEndOffset());
        applyState(initial, nowMs);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public Context owner() {
        return owner;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    /** The controller's latest state of this partition as applied here. */
    public PartitionState state() {
        return state;
    }

    public boolean isLeader() {
        return leader;
    }

    public int inSyncReplicaCount() {
        return state.isr().size();
    }

    /**
     * Takes on the role the controller's state gives this broker. A new leadership starts follower tracking
     * afresh; losing leadership fails the acks=all produces still waiting, since this broker can no longer
     * vouch for their replication.
     */
    public void applyState(PartitionState next, long nowMs) {
        boolean wasLeader = leader;
        int previousEpoch = leaderEpoch;
        state = next;
        leaderEpoch = next.leaderEpoch();
        leader = next.leader() == localId;
        if (leader && (!wasLeader || previousEpoch != leaderEpoch)) {
            followers.reset(next.replicas(), next.isr(), localId, nowMs);
            if (next.replicas().size() > 1 && log.logEndOffset() > 0) {
                recordLeaderEpoch();
            }
        } else if (leader) {
            followers.track(next.replicas(), localId);
        }
        if (!leader && wasLeader) {
            replicationWaiters.failAll(new NotLeaderOrFollowerException(
                    "This broker stopped leading " + topicPartition + " before the records were replicated"));
        }
        maybeAdvanceHighWatermark();
        wakeWaiters();
    }
    /**
     * A new leadership's epoch starts at the log end now, not at its first append: until then a follower whose log
     * ends in an epoch this leader never appended in (its own unreplicated tail as an earlier leader) would ask
     * about an epoch newer than any this log knows, which has no answer. Only where followers exist and the log
     * has records (an empty leader's followers truncate to its high watermark anyway), which spares a checkpoint
     * write per partition on a single broker's start.
     */
    private void recordLeaderEpoch() {
        try {
            log.assignLeaderEpoch(leaderEpoch);
        } catch (LogException e) {
            LOG.warn("{}: could not record leader epoch {} at offset {}; it is recorded with the first append",
                    topicPartition, leaderEpoch, log.logEndOffset(), e);
        }
    }

    /** Appends a produce request's batches for this partition and wakes waiting fetches. */
    public AppendResult append(ByteBuffer records) throws LogException {
        ensureOpen();
        int bytes = records.remaining();
        ensureLeader();
        AppendResult result = log.append(records, leaderEpoch);
        if (!result.duplicate()) {
            metrics.appended(bytes, result.lastOffset() - result.baseOffset() + 1);
            flusher.afterAppend();
            maybeAdvanceHighWatermark();
            wakeWaiters();
        }
        return result;
    }

    /** Appends batches fetched from the leader, as they are (offsets, epochs and timestamps set by the leader). */
    public AppendResult appendAsFollower(ByteBuffer records) throws LogException {
        ensureOpen();
        int bytes = records.remaining();
        AppendResult result = log.appendAsFollower(records);
        metrics.appended(bytes, result.lastOffset() - result.baseOffset() + 1);
        flusher.afterAppend();
        return result;
    }

    /**
     * As follower: removes everything from {@code offset} on (a tail the leader does not have), off the event loop.
     * Completes on the owner context.
     */
    public Future<Void> truncateTo(long offset) {
        ensureOpen();
        return lane.submit(() -> {
            log.truncateTo(offset);
            return null;
        }).map(v -> {
            highWatermark = Math.min(highWatermark, log.logEndOffset());
            return null;
        });
    }

    /** As follower: drops the whole log and restarts it empty at {@code offset} (below the leader's log start). */
    public Future<Void> truncateFullyAndStartAt(long offset) {
        ensureOpen();
        return lane.submit(() -> {
            log.truncateFullyAndStartAt(offset);
            return null;
        }).map(v -> {
            highWatermark = log.logEndOffset();
            return null;
        });
    }

    /**
     * As follower: the leader's log start moved (retention or DeleteRecords there); follow it, deleting the
     * segments below it off the event loop.
     */
    public void followerLogStartOffset(long leaderLogStart) throws LogException {
        long target = Math.min(leaderLogStart, log.logEndOffset());
        if (target <= log.logStartOffset()) {
            return;
        }
        PartitionLog.SegmentDeletion deletion = log.advanceLogStartOffsetDeferred(target);
        if (deletion != null) {
            lane.submit(() -> {
                deletion.run();
                return null;
            });
        }
    }

    /** As follower: the leader's high watermark, capped by what this replica holds. */
    public void followerHighWatermark(long leaderHighWatermark) {
        long next = Math.min(leaderHighWatermark, log.logEndOffset());
        if (next != highWatermark) {
            highWatermark = next;
            log.updateHighWatermark(next);
        }
    }

    /**
     * A follower fetched from {@code fetchOffset}: records its progress and moves the high watermark.
     *
     * @return true when the follower is not in the ISR but has caught up to the high watermark (it may join)
     */
    public boolean recordFollowerFetch(int replicaId, long fetchOffset, long nowMs) {
        if (!leader) {
            return false;
        }
        followers.recordFetch(replicaId, fetchOffset, log.logEndOffset(), nowMs);
        maybeAdvanceHighWatermark();
        return followers.isTracked(replicaId) && !state.isr().contains(replicaId) && fetchOffset >= highWatermark;
    }

    /** ISR followers behind for longer than {@code lagMaxMs}: candidates to leave the ISR. */
    public List<Integer> laggingFollowers(long nowMs, long lagMaxMs) {
        return leader ? followers.laggingInSync(state.isr(), nowMs, lagMaxMs) : List.of();
    }

    /**
     * Completes once the high watermark passes {@code requiredOffset} (the records are in every in-sync replica),
     * failing if the ISR is then smaller than {@code minInsync} or this broker stops leading.
     */
    public Future<Void> awaitReplication(long requiredOffset, int minInsync) {
        if (highWatermark >= requiredOffset) {
            return state.isr().size() >= minInsync ? Future.succeededFuture()
                    : Future.failedFuture(notEnoughAfterAppend(minInsync));
        }
        return replicationWaiters.add(requiredOffset, minInsync);
    }

    private NotEnoughReplicasAfterAppendException notEnoughAfterAppend(int minInsync) {
        return new NotEnoughReplicasAfterAppendException("The ISR of " + topicPartition + " shrank to "
                + state.isr() + ", below min.insync.replicas " + minInsync + ", after the records were appended");
    }

    private void maybeAdvanceHighWatermark() {
        if (!leader) {
            return;
        }
        long candidate = log.logEndOffset();
        for (int id : state.isr()) {
            if (id != localId) {
                long end = followers.logEnd(id);
                if (end < 0) {
                    return; // an in-sync follower not heard from yet under this leadership
                }
                candidate = Math.min(candidate, end);
            }
        }
        if (candidate > highWatermark) {
            highWatermark = candidate;
            log.updateHighWatermark(candidate);
            replicationWaiters.complete(candidate, state.isr().size(), this::notEnoughAfterAppend);
            wakeWaiters();
        }
    }

    /** The leader epoch and end offset of the largest epoch at most {@code epoch} (OffsetsForLeaderEpoch). */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        ensureOpen();
        return log.endOffsetForEpoch(epoch);
    }

    public int latestEpoch() {
        return log.latestEpoch();
    }

    private void ensureLeader() {
        if (!leader) {
            throw new NotLeaderOrFollowerException("This broker is not the leader of " + topicPartition
                    + " (leader: " + (state == null ? "unknown" : state.leader()) + ")");
        }
    }

    /** Appends batches a coordinator writes for a producer (transactional offset commits); see PartitionLog. */
    public AppendResult appendFromCoordinator(ByteBuffer records) throws LogException {
        ensureOpen();
        ensureLeader();
        AppendResult result = log.appendFromCoordinator(records, leaderEpoch);
        flusher.afterAppend();
        maybeAdvanceHighWatermark();
        wakeWaiters();
        return result;
    }

    /** Writes a COMMIT or ABORT marker ending {@code producerId}'s transaction here, and wakes waiting fetches. */
    public AppendResult appendMarker(long producerId, short epoch, boolean commit, int coordinatorEpoch)
            throws LogException {
        ensureOpen();
        ensureLeader();
        AppendResult result = log.appendMarker(producerId, epoch, commit, coordinatorEpoch, leaderEpoch);
        flusher.afterAppend();
        maybeAdvanceHighWatermark();
        wakeWaiters();
        return result;
    }

    /**
     * {@link #append}, for a producer waiting for an acknowledgement: when this append makes flush.messages due
     * (Kafka flushes in the append path then), the future completes only once the records are fsynced, with one
     * fsync shared by every append waiting at that moment (group commit).
     */
    public Future<AppendResult> appendAndFlushIfDue(ByteBuffer records) throws LogException {
        AppendResult result = append(records);
        boolean wait = result.duplicate()
                // A retried batch: its first acknowledgement may have been lost before its fsync completed.
                ? log.config().flushMessages() != Long.MAX_VALUE
                : flusher.lastAppendDue();
        if (!wait) {
            return Future.succeededFuture(result);
        }
        return flusher.whenDurable(result.lastOffset() + 1).map(result);
    }

    /** The log's settings. Safe from any thread. */
    public LogConfig config() {
        return log.config();
    }

    /** Where blocking work on this partition's files runs (owner only). */
    public BlockingLane lane() {
        return lane;
    }

    public ReadResult read(long offset, int maxBytes, boolean minOneBatch) throws LogException {
        ensureOpen();
        ReadResult result = log.read(offset, maxBytes, minOneBatch);
        metrics.read(result.sizeInBytes(), BatchCounts.records(result.records()));
        return result;
    }

    /** A read that stops at {@code maxOffset} (the last stable offset of a read_committed fetch). */
    public ReadResult read(long offset, int maxBytes, boolean minOneBatch, long maxOffset) throws LogException {
        ensureOpen();
        ReadResult result = log.read(offset, maxBytes, minOneBatch, maxOffset);
        metrics.read(result.sizeInBytes(), BatchCounts.records(result.records()));
        return result;
    }

    /**
     * {@link #read(long, int, boolean, long)} that copies nothing: a slice of the segment file, for a fetch whose
     * response can send it straight to the socket. Metrics count the bytes as sent, and the offsets the slice covers
     * as records.
     */
    public ReadResult readSlice(long offset, int maxBytes, boolean minOneBatch, long maxOffset) throws LogException {
        ensureOpen();
        ReadResult result = log.readSlice(offset, maxBytes, minOneBatch, maxOffset);
        metrics.read(result.sizeInBytes(), result.offsetCount());
        return result;
    }

    /** The offset below which every transaction is decided (read_committed consumers read up to it). */
    public long lastStableOffset() {
        return Math.min(log.lastStableOffset(), highWatermark());
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    /** The offset below which records are in every in-sync replica and visible to consumers. */
    public long highWatermark() {
        return highWatermark;
    }

    /** The underlying log, for lookups (timestamps) that the partition does not wrap. Owner only. */
    public PartitionLog log() {
        ensureOpen();
        return log;
    }

    /**
     * Runs {@code waiter} once, on this partition's context, as soon as what a fetch may read is past
     * {@code knownEnd}: the high watermark for consumers, the log end for followers ({@code replica}). At once if
     * it already is, else after the next append or high watermark move.
     */
    public void awaitAppend(long knownEnd, boolean replica, Runnable waiter) {
        long visibleEnd = replica ? log.logEndOffset() : highWatermark;
        if (closed || visibleEnd > knownEnd || (replica && !leader)) {
            waiter.run();
            return;
        }
        appendWaiters.add(waiter);
    }

    /** {@link #awaitAppend(long, boolean, Runnable)} for a consumer. */
    public void awaitAppend(long knownEnd, Runnable waiter) {
        awaitAppend(knownEnd, false, waiter);
    }

    /** Stops serving; the caller then closes or deletes the log off the event loop. Owner only. */
    void markClosed() {
        closed = true;
        replicationWaiters.failAll(new NotLeaderOrFollowerException(topicPartition + " is no longer served here"));
        metrics.remove();
        log.markClosing();
        flusher.close();
        wakeWaiters();
    }

    PartitionLog logForShutdown() {
        return log;
    }

    private void wakeWaiters() {
        if (appendWaiters.isEmpty()) {
            return;
        }
        List<Runnable> waiters = appendWaiters;
        appendWaiters = new ArrayList<>();
        waiters.forEach(Runnable::run);
    }

    private void ensureOpen() {
        if (closed) {
            throw new PartitionClosedException("Partition " + topicPartition + " is no longer served by this broker");
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
