package io.tributary.core.log;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.BrokerConfigDef;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
import io.tributary.core.protocol.KafkaRecordCodec;
import io.tributary.storage.LogCleaner;
import io.tributary.storage.LogException;
import io.tributary.storage.PartitionLog;
import io.tributary.storage.Throttler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Background maintenance of every partition log: retention and the log cleaner (flushing is per partition, see
 * {@code PartitionFlusher}). Nothing here blocks an event loop:
 * <ul>
 *   <li>Retention: every log.retention.check.interval.ms a Vert.x timer visits each partition on its owner context,
 *       where {@link PartitionLog#planRetention} decides which whole segments go and moves the log start offset
 *       (reads see it at once); closing and deleting the files runs on the partition's blocking lane.</li>
 *   <li>Compaction: log.cleaner.threads cleaner loops. Each picks the compacted log that most needs cleaning
 *       (overdue by max.compaction.lag.ms or expired tombstones first, else the highest dirty ratio at or above
 *       min.cleanable.dirty.ratio), runs the {@link LogCleaner} steps, alternating between the partition's owner
 *       (choosing, swapping in) and a dedicated cleaner thread (reading, writing, renaming: long and blocking, so
 *       not on a Vert.x worker, whose blocked-thread checker would complain), and sleeps log.cleaner.backoff.ms
 *       when no log needs it. All cleaner I/O shares one {@link Throttler} (log.cleaner.io.max.bytes.per.second).</li>
 * </ul>
 */
public final class LogManager {

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final long FAILED_CLEAN_RETRY_MS = 10 * 60 * 1000;
    /** How long replaced segments stay open after a swap, for readers that took a view of them just before. */
    static final long REPLACED_SEGMENTS_GRACE_MS = 30_000;

    private final Vertx vertx;
    private final BrokerConfig config;
    private final PartitionRegistry partitions;
    private final Clock clock;
    private final LogCleaner cleaner;
    private final ExecutorService cleanerThreads;
    private final Throttler throttler;
    private final Set<LogCleaner.CleanTask> running = ConcurrentHashMap.newKeySet();
    /** Logs whose last clean failed, and until when they are left alone (Kafka marks them uncleanable). */
    private final Map<TopicPartition, Long> failedUntil = new ConcurrentHashMap<>();
    /** Swaps whose replaced segments are still open, by the timer that will close them. */
    private final Map<Long, LogCleaner.CleanTask> replacedToClose = new ConcurrentHashMap<>();
    private final List<CleanerLoop> cleanerLoops = new ArrayList<>();
    private volatile boolean stopping;
    private long retentionTimer = -1;

    public LogManager(Vertx vertx, BrokerConfig config, PartitionRegistry partitions, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.partitions = partitions;
        this.clock = clock;
        this.throttler = new Throttler(config.logCleanerIoMaxBytesPerSecond());
        int threads = config.logCleanerThreads();
        this.cleaner = new LogCleaner(KafkaRecordCodec.INSTANCE, throttler,
                config.logCleanerDedupeBufferSize() / threads, config.logCleanerIoBufferSize());
        AtomicInteger n = new AtomicInteger();
        this.cleanerThreads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tributary-log-cleaner-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the retention timer and the cleaner loops. */
    public synchronized void start() {
        long interval = config.logRetentionCheckIntervalMs();
        retentionTimer = vertx.setPeriodic(interval, interval, id -> retentionPass());
        if (config.logCleanerEnable()) {
            for (int i = 0; i < config.logCleanerThreads(); i++) {
                CleanerLoop loop = new CleanerLoop();
                cleanerLoops.add(loop);
                loop.sleep(Math.min(config.logCleanerBackoffMs(), 1000));
            }
        }
        LOG.info("Log maintenance started: retention checked every {} ms, cleaner {}", interval,
                config.logCleanerEnable() ? config.logCleanerThreads() + " thread(s)" + (throttler.isUnlimited()
                        ? "" : " at most " + (long) config.logCleanerIoMaxBytesPerSecond() + " bytes/s") : "disabled");
    }

    /**
     * Stops the timers, aborts cleans in progress and completes once the cleaner loops are done, so closing the
     * logs afterwards races with nothing.
     */
    public synchronized Future<Void> stop() {
        List<Future<Void>> loops = new ArrayList<>();
        for (CleanerLoop loop : cleanerLoops) {
            loops.add(loop.stopped.future());
        }
        if (stopping) {
            return Future.join(loops).mapEmpty();
        }
        stopping = true;
        if (retentionTimer >= 0) {
            vertx.cancelTimer(retentionTimer);
        }
        running.forEach(LogCleaner.CleanTask::abort);
        cleanerLoops.forEach(CleanerLoop::wakeToStop);
        return Future.join(loops).<Void>mapEmpty().onComplete(ar -> {
            closeAllReplaced();
            cleanerThreads.shutdown();
        });
    }

    // ---- retention -------------------------------------------------------------------------------------------

    /** One retention pass over every partition; completes with the number of segments deleted. */
    public Future<Integer> retentionPass() {
        List<Future<Integer>> passes = new ArrayList<>();
        long now = clock.millis();
        long producerIdExpirationMs = ((Number) config.value(BrokerConfigDef.PRODUCER_ID_EXPIRATION_MS)).longValue();
        for (Partition partition : partitions.all()) {
            passes.add(ContextHop.compose(partition.owner(), () -> applyRetention(partition, now,
                            producerIdExpirationMs))
                    .recover(e -> {
                        LOG.warn("Retention of {} failed: {}", partition.topicPartition(), e.toString());
                        return Future.succeededFuture(0);
                    }));
        }
        return Future.join(passes).map(ignored -> {
            int deleted = 0;
            for (Future<Integer> f : passes) {
                deleted += f.result() == null ? 0 : f.result();
            }
            return deleted;
        });
    }

    /**
     * On the owner: forgets producers idle past producer.id.expiration.ms (Kafka checks them on a timer of its
     * own; here the retention pass does it), then trims the log now; the files go on the partition's blocking lane.
     */
    private static Future<Integer> applyRetention(Partition partition, long now, long producerIdExpirationMs)
            throws LogException {
        if (partition.isClosed()) {
            return Future.succeededFuture(0);
        }
        int expired = partition.log().removeExpiredProducers(producerIdExpirationMs);
        if (expired > 0) {
            LOG.debug("Forgot {} idle producers of {}", expired, partition.topicPartition());
        }
        PartitionLog.SegmentDeletion deletion = partition.log().planRetention(now);
        if (deletion == null) {
            return Future.succeededFuture(0);
        }
        return partition.lane().submit(() -> {
            deletion.run();
            return deletion.segments();
        });
    }

    // ---- compaction ------------------------------------------------------------------------------------------

    /** One cleaner thread's loop: clean the filthiest log, again at once if one was cleaned, else sleep. */
    private final class CleanerLoop {
        private final Promise<Void> stopped = Promise.promise();
        private long timer = -1;

        /** Runs on whichever thread finished the last step; the timer bookkeeping is guarded by the loop. */
        private void run() {
            synchronized (this) {
                timer = -1;
            }
            if (stopping) {
                stopped.tryComplete();
                return;
            }
            cleanFilthiest().onComplete(ar -> {
                if (stopping) {
                    stopped.tryComplete();
                    return;
                }
                if (ar.failed()) {
                    LOG.warn("Log cleaning failed; retrying in {} ms", config.logCleanerBackoffMs(), ar.cause());
                }
                if (ar.succeeded() && ar.result()) {
                    vertx.runOnContext(v -> run());
                } else {
                    sleep(config.logCleanerBackoffMs());
                }
            });
        }

        private synchronized void sleep(long ms) {
            timer = vertx.setTimer(ms, id -> run());
        }

        /** At stop: a sleeping loop ends now, a busy one after its current step. */
        private synchronized void wakeToStop() {
            if (timer >= 0 && vertx.cancelTimer(timer)) {
                timer = -1;
                stopped.tryComplete();
            }
        }
    }

    /** A log that may be worth cleaning, as its owner saw it. */
    private record Candidate(Partition partition, LogCleaner.Cleanability cleanability) {
    }

    /**
     * Picks the compacted log most in need and cleans it. Completes with whether a log was cleaned (false when
     * none needed it).
     */
    public Future<Boolean> cleanFilthiest() {
        long now = clock.millis();
        List<Future<Candidate>> looks = new ArrayList<>();
        for (Partition p : partitions.all()) {
            if (!p.config().cleanup().compact() || failedUntil.getOrDefault(p.topicPartition(), 0L) > now) {
                continue;
            }
            looks.add(ContextHop.call(p.owner(), () -> p.isClosed() ? null
                    : new Candidate(p, LogCleaner.cleanability(p.log(), now)))
                    .recover(e -> Future.succeededFuture(null)));
        }
        return Future.join(looks).compose(ignored -> {
            Candidate best = null;
            for (Future<Candidate> f : looks) {
                Candidate c = f.result();
                if (c == null || c.cleanability() == null
                        || !c.cleanability().worthCleaning(c.partition().config().cleanup().minCleanableDirtyRatio())) {
                    continue;
                }
                if (best == null || better(c.cleanability(), best.cleanability())) {
                    best = c;
                }
            }
            return best == null ? Future.succeededFuture(false) : clean(best.partition(), now);
        });
    }

    private static boolean better(LogCleaner.Cleanability a, LogCleaner.Cleanability b) {
        if (a.mustClean() != b.mustClean()) {
            return a.mustClean();
        }
        return a.dirtyRatio() > b.dirtyRatio();
    }

    /** Cleans one log; completes with whether it was (false if it turned out to be busy or closed). */
    public Future<Boolean> clean(Partition partition, long now) {
        return ContextHop.call(partition.owner(), () -> partition.isClosed() ? null
                        : cleaner.prepare(partition.log(), now))
                .compose(task -> task == null ? Future.succeededFuture(false) : run(partition, task));
    }

    private Future<Boolean> run(Partition partition, LogCleaner.CleanTask task) {
        running.add(task);
        LOG.info("Cleaning {}", partition.topicPartition());
        if (stopping) {
            task.abort();
        }
        return onCleaner(() -> {
            task.clean();
            return null;
        })
                .compose(v -> ContextHop.call(partition.owner(), task::beginSwap))
                .compose(ok -> {
                    if (!ok) {
                        return Future.failedFuture(new LogCleaner.CleanAbortedException(partition.topicPartition()));
                    }
                    return onCleaner(() -> {
                        task.commit();
                        return null;
                    }).compose(v -> ContextHop.call(partition.owner(), () -> {
                        task.finishSwap();
                        return null;
                    })).compose(v -> onCleaner(() -> {
                        task.cleanup();
                        closeReplacedLater(task);
                        return true;
                    }));
                })
                .recover(e -> {
                    if (e instanceof LogCleaner.CleanAbortedException) {
                        LOG.info("Cleaning {} stopped: {}", partition.topicPartition(), e.getMessage());
                    } else {
                        long retryMs = Math.max(FAILED_CLEAN_RETRY_MS, config.logCleanerBackoffMs());
                        failedUntil.put(partition.topicPartition(), clock.millis() + retryMs);
                        LOG.warn("Cleaning {} failed; it is retried in {} s", partition.topicPartition(), retryMs / 1000, e);
                    }
                    return onCleaner(() -> {
                        task.discard();
                        return null;
                    }).transform(ignored -> ContextHop.call(partition.owner(), () -> {
                        task.abandon();
                        return false;
                    }));
                })
                .onComplete(ar -> running.remove(task));
    }

    private void closeReplacedLater(LogCleaner.CleanTask task) {
        synchronized (replacedToClose) {
            long id = vertx.setTimer(REPLACED_SEGMENTS_GRACE_MS, t -> {
                if (replacedToClose.remove(t) != null) {
                    onCleaner(() -> {
                        task.closeReplaced();
                        return null;
                    });
                }
            });
            replacedToClose.put(id, task);
        }
    }

    /** At stop: closes at once what the grace timers would have closed. */
    private void closeAllReplaced() {
        synchronized (replacedToClose) {
            for (Map.Entry<Long, LogCleaner.CleanTask> e : replacedToClose.entrySet()) {
                vertx.cancelTimer(e.getKey());
                try {
                    e.getValue().closeReplaced();
                } catch (java.io.IOException ex) {
                    LOG.debug("Closing replaced segments failed", ex);
                }
            }
            replacedToClose.clear();
        }
    }

    private <T> Future<T> onCleaner(Callable<T> work) {
        Promise<T> promise = Promise.promise();
        try {
            cleanerThreads.execute(() -> {
                try {
                    promise.complete(work.call());
                } catch (Throwable t) {
                    promise.fail(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            promise.fail(e);
        }
        return promise.future();
    }
}
