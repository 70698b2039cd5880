package io.tributary.core.group;

/**
 * Timers for group timeouts (sessions, rebalances). Tasks run on the context that owns the shard,
 * so they may touch its state directly; tests substitute a manual clock.
 */
public interface Scheduler {

    /** Runs {@code task} after {@code delayMs}; returns an id for {@link #cancel}. */
    long schedule(long delayMs, Runnable task);

    /** Cancels a scheduled task; unknown or negative ids are ignored. */
    void cancel(long id);

    long nowMs();
}
