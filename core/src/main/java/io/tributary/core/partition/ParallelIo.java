package io.tributary.core.partition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs many independent blocking log operations (opening, recovering or closing partition logs) on a short-lived
 * pool, from a worker thread. Opening a thousand partitions is mostly waiting on small reads, fsyncs and, after a
 * crash, CRC scans; spread over a few threads it takes a fraction of the time, which is what keeps start-up (and
 * a clean stop) within seconds.
 */
public final class ParallelIo {

    /** One blocking operation. */
    @FunctionalInterface
    public interface Task {
        void run() throws IOException;
    }

    /**
     * Threads used: twice the processors, at most 16 (after a crash the work waits on the disk as much as on the
     * CPU; a clean start is CPU-bound, and more threads than that only add contention); the system property
     * {@code tributary.log.io.threads} overrides it.
     */
    public static final int THREADS = Integer.getInteger("tributary.log.io.threads",
            Math.min(16, Math.max(2, 2 * Runtime.getRuntime().availableProcessors())));

    private ParallelIo() {
    }

    /** Runs every task; after all finished, throws the first failure (others are added as suppressed). */
    public static void runAll(List<Task> tasks) throws IOException {
        if (tasks.size() <= 1) {
            for (Task t : tasks) {
                t.run();
            }
            return;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, tasks.size()), r -> {
            Thread t = new Thread(r, "tributary-log-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(tasks.size());
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    task.run();
                    return null;
                }));
            }
            IOException failure = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    IOException io = cause instanceof IOException ioe ? ioe : new IOException(cause.getMessage(), cause);
                    if (cause instanceof RuntimeException re && !(cause instanceof IOException)) {
                        io = new IOException(re.getMessage(), re);
                    }
                    if (failure == null) {
                        failure = io;
                    } else {
                        failure.addSuppressed(io);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdown();
        }
    }
}
