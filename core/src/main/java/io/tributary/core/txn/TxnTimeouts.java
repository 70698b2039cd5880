package io.tributary.core.txn;

import io.tributary.core.group.Scheduler;

/**
 * One timer per coordinator shard, set for the earliest moment something is due (a transaction timing out, an
 * idle transactional id expiring). When it fires the shard sweeps its ids and sets it again for the next one;
 * nothing polls in between. Owner context only.
 */
final class TxnTimeouts {

    private final Scheduler scheduler;
    private final Runnable sweep;
    private long timerId = -1;
    private long scheduledAtMs = Long.MAX_VALUE;

    TxnTimeouts(Scheduler scheduler, Runnable sweep) {
        this.scheduler = scheduler;
        this.sweep = sweep;
    }

    /** Makes sure the sweep runs no later than {@code deadlineMs}. */
    void consider(long deadlineMs) {
        if (deadlineMs >= scheduledAtMs) {
            return;
        }
        scheduler.cancel(timerId);
        scheduledAtMs = deadlineMs;
        timerId = scheduler.schedule(Math.max(0, deadlineMs - scheduler.nowMs()), this::fire);
    }

    void cancel() {
        scheduler.cancel(timerId);
        timerId = -1;
        scheduledAtMs = Long.MAX_VALUE;
    }

    private void fire() {
        timerId = -1;
        scheduledAtMs = Long.MAX_VALUE;
        sweep.run();
    }
}
