package io.tributary.connect.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * In a cluster, has the herder follow the internal topics and the live workers: a {@link Herder#tick} every
 * {@value #INTERVAL_MS} ms and right after members join or leave, never two queued at once.
 */
public final class StateFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateFollower.class);
    static final long INTERVAL_MS = 300;

    private final Herder herder;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean closed;

    private StateFollower(Herder herder) {
        this.herder = herder;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connect-state-follower");
            t.setDaemon(true);
            return t;
        });
    }

    public static StateFollower start(Herder herder, Workers workers) {
        StateFollower follower = new StateFollower(herder);
        workers.onChange(follower::trigger);
        follower.timer.scheduleWithFixedDelay(follower::trigger, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return follower;
    }

    private void trigger() {
        if (closed || !queued.compareAndSet(false, true)) {
            return;
        }
        herder.submit(() -> {
            queued.set(false);
            if (!closed) {
                herder.tick();
            }
            return null;
        }).whenComplete((v, e) -> {
            if (e != null && !closed) {
                LOG.warn("Following the connect state failed; trying again: {}", e.toString());
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
