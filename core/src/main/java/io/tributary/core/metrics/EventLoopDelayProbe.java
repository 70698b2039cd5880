package io.tributary.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs a task it was handed: a task is queued on every loop once a second and
 * the wait until it runs is recorded. A loop blocked by slow work shows up here long before clients time out.
 */
public final class EventLoopDelayProbe {

    private static final long PERIOD_MS = 1000;

    private final List<Context> loops;
    private final List<Timer> delays = new ArrayList<>();
    private long timer = -1;

    public EventLoopDelayProbe(MeterRegistry registry, List<Context> loops) {
        this.loops = List.copyOf(loops);
        for (int i = 0; i < loops.size(); i++) {
            delays.add(Timer.builder("tributary.event.loop.delay")
                    .description("Time a task waits in an event loop's queue before it runs")
                    .tag("loop", String.valueOf(i))
                    .publishPercentiles(0.5, 0.99)
                    .register(registry));
        }
    }

    public void start() {
        Context first = loops.get(0);
        first.runOnContext(v -> timer = first.owner().setPeriodic(PERIOD_MS, id -> probe()));
    }

    public void stop() {
        if (timer >= 0) {
            loops.get(0).owner().cancelTimer(timer);
        }
    }

    private void probe() {
        for (int i = 0; i < loops.size(); i++) {
            Timer delay = delays.get(i);
            long queued = System.nanoTime();
            loops.get(i).runOnContext(v -> delay.record(System.nanoTime() - queued, TimeUnit.NANOSECONDS));
        }
    }
}
