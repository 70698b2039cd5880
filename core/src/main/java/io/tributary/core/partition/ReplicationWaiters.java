package io.tributary.core.partition;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * acks=all produce requests waiting for the high watermark to pass their records. Completed in offset order as
 * the high watermark moves, failed all at once when this broker stops leading. Owned by the partition's context.
 */
final class ReplicationWaiters {

    private record Waiter(long requiredOffset, int minInsync, Promise<Void> promise) {
    }

    private List<Waiter> waiters = new ArrayList<>();

    Future<Void> add(long requiredOffset, int minInsync) {
        Promise<Void> promise = Promise.promise();
        waiters.add(new Waiter(requiredOffset, minInsync, promise));
        return promise.future();
    }

    /**
     * Completes every waiter at or below {@code highWatermark}; one whose min.insync.replicas the ISR no longer
     * meets fails with the error {@code belowMinimum} makes.
     */
    void complete(long highWatermark, int isrSize, IntFunction<RuntimeException> belowMinimum) {
        if (waiters.isEmpty()) {
            return;
        }
        List<Waiter> remaining = new ArrayList<>();
        for (Waiter w : waiters) {
            if (w.requiredOffset() <= highWatermark) {
                if (isrSize >= w.minInsync()) {
                    w.promise().tryComplete();
                } else {
                    w.promise().tryFail(belowMinimum.apply(w.minInsync()));
                }
            } else {
                remaining.add(w);
            }
        }
        waiters = remaining;
    }

    void failAll(RuntimeException error) {
        List<Waiter> failed = waiters;
        waiters = new ArrayList<>();
        failed.forEach(w -> w.promise().tryFail(error));
    }
}
