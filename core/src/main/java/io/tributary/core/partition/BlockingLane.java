package io.tributary.core.partition;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;

/**
 * Runs one partition's blocking log work (fsyncs, checkpoint writes, segment deletions) on worker threads, one
 * task at a time and in submission order, so the event loop never blocks and tasks for the same files never
 * overlap. Different partitions' lanes run in parallel on a shared pool of their own ({@value #POOL}, so a burst of
 * fsyncs cannot starve other blocking work of Vert.x's default worker pool). Owner-confined: submit on the
 * partition's context; results are delivered there too.
 */
public final class BlockingLane {

    static final String POOL = "tributary-log-io";
    static final int POOL_SIZE = 8;

    private final WorkerExecutor workers;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    BlockingLane(Context owner) {
        // Executors of the same name share one pool.
        this.workers = owner.owner().createSharedWorkerExecutor(POOL, POOL_SIZE);
    }

    /** Queues {@code work}; the future completes on the owner context after it ran. Owner only. */
    public <T> Future<T> submit(Callable<T> work) {
        Promise<T> promise = Promise.promise();
        queue.add(() -> workers.<T>executeBlocking(work, false).onComplete(ar -> {
            running = false;
            next();
            promise.handle(ar);
        }));
        if (!running) {
            next();
        }
        return promise.future();
    }

    /** True when no task is queued or running. Owner only. */
    public boolean isIdle() {
        return !running && queue.isEmpty();
    }

    private void next() {
        Runnable task = queue.poll();
        if (task != null) {
            running = true;
            task.run();
        }
    }
}
