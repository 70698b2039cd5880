package io.tributary.core.group;

import io.vertx.core.Vertx;

import java.time.Clock;

/**
 * Vert.x timers. Must be used on the shard's owner context: a timer set there fires there, which is
 * what lets timeout handlers touch shard state without locks.
 */
public final class VertxScheduler implements Scheduler {

    private final Vertx vertx;
    private final Clock clock;

    public VertxScheduler(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
    }

    @Override
    public long schedule(long delayMs, Runnable task) {
        // Vert.x refuses delays below 1 ms.
        return vertx.setTimer(Math.max(1, delayMs), id -> task.run());
    }

    @Override
    public void cancel(long id) {
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    @Override
    public long nowMs() {
        return clock.millis();
    }
}
