package io.tributary.core.partition;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metrics.PartitionMetrics;
import io.tributary.storage.LogConfig;
import io.tributary.storage.PartitionLog;
import io.vertx.core.Context;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The partitions this broker hosts, each pinned to one owner context. Lookups are lock-free reads of
 * a concurrent map from any event loop; opening, closing and deleting logs are blocking and run on
 * worker threads only.
 */
public final class PartitionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionRegistry.class);

    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final List<Context> owners;
    private final List<Path> logDirs;
    private final Clock clock;
    /** Where each partition's meters go; null for none. */
    private final MeterRegistry meters;
    /** Set when the broker closes its logs: metadata still arriving must not open them again. */
    private volatile boolean closing;

    public PartitionRegistry(List<Context> owners, List<Path> logDirs, Clock clock) {
        this(owners, logDirs, clock, null);
    }

    public PartitionRegistry(List<Context> owners, List<Path> logDirs, Clock clock, MeterRegistry meters) {
        if (owners.isEmpty()) {
            throw new IllegalArgumentException("at least one owner context is needed");
        }
        this.owners = List.copyOf(owners);
        this.logDirs = List.copyOf(logDirs);
        this.clock = clock;
        this.meters = meters;
    }

    /** The contexts partitions are pinned to (the broker's event loops). */
    public List<Context> owners() {
        return owners;
    }

    public Partition get(TopicPartition tp) {
        return partitions.get(tp);
    }

    public Collection<Partition> all() {
        return partitions.values();
    }

    /**
     * Opens (recovering if needed) or creates the log of a partition, in the role {@code state} gives broker
     * {@code localId}. Blocking: worker threads only.
     */
    public Partition open(String topic, Uuid topicId, int index, LogConfig config, PartitionState state, int localId)
            throws IOException {
        if (closing) {
            throw new IOException("the broker is stopping; not opening " + topic + "-" + index);
        }
        TopicPartition tp = new TopicPartition(topic, index);
        Partition existing = partitions.get(tp);
        if (existing != null) {
            return existing;
        }
        Path dir = locate(tp);
        PartitionLog log = PartitionLog.open(dir, config, clock);
        // Neighbouring partitions of a topic land on different loops, spreading one topic's load.
        Context owner = owners.get(Math.floorMod(topic.hashCode() + index, owners.size()));
        PartitionMetrics metrics = meters == null ? PartitionMetrics.NONE : new PartitionMetrics(meters, topic, index);
        Partition partition = new Partition(tp, topicId, owner, log, state, localId, clock.millis(), metrics);
        partitions.put(tp, partition);
        return partition;
    }

    /**
     * Stops serving a partition and deletes its data. The directory is first renamed aside, so a
     * topic re-created with the same name starts from an empty directory. Blocking: worker threads only.
     */
    public void delete(TopicPartition tp) throws IOException {
        Partition partition = detach(tp);
        if (partition == null) {
            return;
        }
        partition.logForShutdown().delete();
    }

    /** Closes every log cleanly (flush, checkpoints, clean-shutdown marker). Blocking: worker only. */
    public void closeAll() {
        closing = true;
        // In parallel: each close fsyncs a few files, and a thousand partitions one after the other take seconds.
        List<ParallelIo.Task> closes = new ArrayList<>();
        for (TopicPartition tp : new ArrayList<>(partitions.keySet())) {
            closes.add(() -> {
                try {
                    Partition partition = detach(tp);
                    if (partition != null) {
                        partition.logForShutdown().close();
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.error("Failed to close the log of {} cleanly; it will be recovered at the next start", tp, e);
                }
            });
        }
        try {
            ParallelIo.runAll(closes);
        } catch (IOException e) {
            LOG.error("Failed to close every log cleanly", e);
        }
    }

    private Partition detach(TopicPartition tp) throws IOException {
        Partition partition = partitions.remove(tp);
        if (partition == null) {
            return null;
        }
        // Closing on the owner first guarantees no append or read is in flight when the log goes away.
        try {
            ContextHop.call(partition.owner(), () -> {
                partition.markClosed();
                return null;
            }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while closing " + tp, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("Could not stop " + tp + " on its event loop", e);
        }
        return partition;
    }

    private Path locate(TopicPartition tp) throws IOException {
        String name = tp.topic() + "-" + tp.partition();
        for (Path dir : logDirs) {
            if (Files.isDirectory(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return leastLoadedDir().resolve(name);
    }

    private Path leastLoadedDir() throws IOException {
        Path best = logDirs.get(0);
        long bestCount = Long.MAX_VALUE;
        for (Path dir : logDirs) {
            Files.createDirectories(dir);
            long count;
            try (var entries = Files.list(dir)) {
                count = entries.filter(Files::isDirectory).count();
            }
            if (count < bestCount) {
                best = dir;
                bestCount = count;
            }
        }
        return best;
    }
}
