package io.tributary.core.partition;

import io.tributary.core.metrics.PartitionMetrics;
import io.tributary.storage.AppendResult;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogException;
import io.tributary.storage.PartitionLog;
import io.tributary.storage.ReadResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition replica on this broker: its log and the fetches waiting for its next append.
 * Every method except {@link #owner()} and the identity getters must run on the owner context;
 * that single-owner rule is what lets the append and read paths run without locks.
 */
public final class Partition {

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final Context owner;
    private final PartitionLog log;
    private final int leaderEpoch;
    private List<Runnable> appendWaiters = new ArrayList<>();
    private boolean closed;
    /** Blocking log work (fsync, segment deletion) for this partition, in order, off the event loop. */
    private final BlockingLane lane;
    private final PartitionFlusher flusher;
    private final PartitionMetrics metrics;

    Partition(TopicPartition topicPartition, Uuid topicId, Context owner, PartitionLog log, int leaderEpoch,
              PartitionMetrics metrics) {
        this.metrics = metrics;
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.owner = owner;
        this.log = log;
        this.leaderEpoch = leaderEpoch;
        this.lane = new BlockingLane(owner);
        this.flusher = new PartitionFlusher(this, log, owner, lane);
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

    /** Appends a produce request's batches for this partition and wakes waiting fetches. */
    public AppendResult append(ByteBuffer records) throws LogException {
        ensureOpen();
        int bytes = records.remaining();
        AppendResult result = log.append(records, leaderEpoch);
        if (!result.duplicate()) {
            metrics.appended(bytes, result.lastOffset() - result.baseOffset() + 1);
            flusher.afterAppend();
            wakeWaiters();
        }
        return result;
    }

    /** Appends batches a coordinator writes for a producer (transactional offset commits); see PartitionLog. */
    public AppendResult appendFromCoordinator(ByteBuffer records) throws LogException {
        ensureOpen();
        AppendResult result = log.appendFromCoordinator(records, leaderEpoch);
        flusher.afterAppend();
        wakeWaiters();
        return result;
    }

    /** Writes a COMMIT or ABORT marker ending {@code producerId}'s transaction here, and wakes waiting fetches. */
    public AppendResult appendMarker(long producerId, short epoch, boolean commit, int coordinatorEpoch)
            throws LogException {
        ensureOpen();
        AppendResult result = log.appendMarker(producerId, epoch, commit, coordinatorEpoch, leaderEpoch);
        flusher.afterAppend();
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
        return log.read(offset, maxBytes, minOneBatch, maxOffset);
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

    /** The offset below which records are visible to consumers; the log end on a single replica. */
    public long highWatermark() {
        return log.logEndOffset();
    }

    /** The underlying log, for lookups (timestamps) that the partition does not wrap. Owner only. */
    public PartitionLog log() {
        ensureOpen();
        return log;
    }

    /**
     * Runs {@code waiter} once, on this partition's context, as soon as the log end is past
     * {@code knownEnd}: at once if an append already moved it, else after the next append.
     */
    public void awaitAppend(long knownEnd, Runnable waiter) {
        if (closed || log.logEndOffset() > knownEnd) {
            waiter.run();
            return;
        }
        appendWaiters.add(waiter);
    }

    /** Stops serving; the caller then closes or deletes the log off the event loop. Owner only. */
    void markClosed() {
        closed = true;
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
