package io.tributary.core.partition;

import io.tributary.storage.PartitionLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * The flush policy of one partition, on its owner context. After every append it decides whether data must be
 * fsynced: flush.messages records unflushed (the append that reached the count waits for the fsync before it is
 * acknowledged, as in Kafka), flush.ms since the oldest unflushed append (a timer; nobody waits), or a segment
 * rolled (Kafka flushes a rolled segment in the background, which keeps crash recovery to the active segment).
 *
 * <p>The fsync itself runs on the partition's {@link BlockingLane}. Group commit: while one flush runs, appends keep
 * going; the next flush, started when it finishes, covers all of them with one fsync, and every waiting append
 * below its target is released at once.
 */
final class PartitionFlusher {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionFlusher.class);

    /** An append waiting until everything below {@code offset} is durable. */
    private record Waiter(long offset, Promise<Void> promise) {
    }

    private final Partition partition;
    private final PartitionLog log;
    private final Context owner;
    private final BlockingLane lane;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean flushing;
    /** Highest target asked for while a flush was running; the next flush goes at least this far. */
    private long pendingTarget = -1;
    private long timerId = -1;
    private boolean lastAppendDue;
    private boolean closed;

    PartitionFlusher(Partition partition, PartitionLog log, Context owner, BlockingLane lane) {
        this.partition = partition;
        this.log = log;
        this.owner = owner;
        this.lane = lane;
    }

    /** Called after each append on the owner: schedules whatever flush the policy calls for. */
    void afterAppend() {
        if (closed) {
            return;
        }
        lastAppendDue = log.flushDueByCount();
        if (lastAppendDue) {
            request(log.logEndOffset());
        } else if (log.hasUnflushedSealedSegments()) {
            request(log.activeSegmentBaseOffset());
        }
        armTimer();
    }

    /** True if the last append made flush.messages due: it should be acknowledged only once durable. */
    boolean lastAppendDue() {
        return lastAppendDue;
    }

    /** Completes once every offset below {@code offset} is fsynced. Owner only. */
    Future<Void> whenDurable(long offset) {
        if (log.recoveryPoint() >= offset) {
            return Future.succeededFuture();
        }
        if (closed) {
            return Future.failedFuture(new PartitionClosedException("Partition " + partition.topicPartition()
                    + " was closed before the append was flushed"));
        }
        Promise<Void> promise = Promise.promise();
        waiters.add(new Waiter(offset, promise));
        request(offset);
        return promise.future();
    }

    /** Stops: no more flushes are started here (closing the log flushes everything); waiters fail. */
    void close() {
        closed = true;
        if (timerId >= 0) {
            partition.owner().owner().cancelTimer(timerId);
            timerId = -1;
        }
        PartitionClosedException closedError = new PartitionClosedException("Partition " + partition.topicPartition()
                + " was closed before the append was flushed");
        while (!waiters.isEmpty()) {
            waiters.poll().promise().tryFail(closedError);
        }
    }

    private void request(long target) {
        if (closed) {
            return;
        }
        if (flushing) {
            pendingTarget = Math.max(pendingTarget, target);
            return;
        }
        PartitionLog.FlushTask task;
        try {
            task = log.prepareFlush(target);
        } catch (RuntimeException e) {
            // The log was closed under us; closing flushes.
            return;
        }
        if (task == null) {
            release();
            return;
        }
        flushing = true;
        lane.submit(() -> {
            task.run();
            return null;
        }).onComplete(ar -> {
            flushing = false;
            log.completeFlush(task, ar.succeeded());
            if (ar.failed() && !closed) {
                LOG.error("fsync of {} up to offset {} failed; appends waiting for it fail with KAFKA_STORAGE_ERROR",
                        partition.topicPartition(), task.target(), ar.cause());
                failUpTo(task.target(), ar.cause());
            }
            release();
            long next = pendingTarget;
            pendingTarget = -1;
            if (next > log.recoveryPoint() && !closed) {
                request(next);
            }
        });
    }

    private void release() {
        long durable = log.recoveryPoint();
        while (!waiters.isEmpty() && waiters.peek().offset() <= durable) {
            waiters.poll().promise().tryComplete();
        }
    }

    private void failUpTo(long target, Throwable cause) {
        java.io.IOException error = new java.io.IOException("fsync failed: " + cause.getMessage(), cause);
        while (!waiters.isEmpty() && waiters.peek().offset() <= target) {
            waiters.poll().promise().tryFail(error);
        }
    }

    private void armTimer() {
        if (timerId >= 0) {
            return;
        }
        long delay = log.millisUntilTimedFlush();
        if (delay < 0) {
            return;
        }
        timerId = owner.owner().setTimer(Math.max(1, delay), id -> {
            timerId = -1;
            if (closed) {
                return;
            }
            long wait = log.millisUntilTimedFlush();
            if (wait == 0) {
                request(log.logEndOffset());
            }
            armTimer();
        });
    }
}
