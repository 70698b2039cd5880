package io.tributary.connect.runtime;

import java.util.concurrent.TimeUnit;

/**
 * The stop and pause switches a task's thread checks between calls into the task. Pausing only idles the
 * loop: a paused sink task keeps its partitions, a paused source task is simply not polled.
 */
public final class TaskControl {

    private volatile boolean stopping;
    private volatile boolean paused;

    public boolean stopping() {
        return stopping;
    }

    public boolean paused() {
        return paused;
    }

    public synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    public synchronized void pause(boolean pause) {
        paused = pause;
        notifyAll();
    }

    /** Waits while paused, until resumed, stopped or {@code timeoutMs} has passed. */
    public synchronized void awaitResumeOrStop(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long left;
        while (paused && !stopping && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits {@code ms} unless stopped first: backoff between retries that a stop must not be held up by. */
    public synchronized void backoff(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        long left;
        while (!stopping && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
