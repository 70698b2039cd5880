package io.tributary.core.metadata;

import io.tributary.core.cluster.ControllerClient;
import io.tributary.core.partition.ParallelIo;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
import io.tributary.storage.LogConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * This broker's copy of the topic metadata. Changes are decided by the controller ({@link ControllerClient}) and
 * come back through {@link #apply}/{@link #applyDeletion}, which run as ordered blocking tasks on one context: they
 * open the logs of the partitions this broker replicates, drop the ones it no longer does, persist the table and
 * only then publish a new immutable {@link MetadataImage}. The request methods complete once the change is
 * visible here, so a client that created a topic through this broker sees it at once.
 */
public final class TopicRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TopicRegistry.class);

    private final Context owner;
    private final MetadataStore store;
    private final PartitionRegistry partitions;
    private final int nodeId;
    private final Function<Map<String, String>, LogConfig> logConfigs;
    private volatile MetadataImage image = MetadataImage.EMPTY;
    /** Ids of topics deleted in the cluster (metadata context only, persisted with the table). */
    private final Set<Uuid> deletedIds = new LinkedHashSet<>();
    private volatile ControllerClient controller;
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<TopicInfo, TopicInfo>> changeListeners = new CopyOnWriteArrayList<>();
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private record Waiter(String name, Predicate<TopicInfo> done, Promise<TopicInfo> promise) {
    }

    /** @param logConfigs resolves a topic's overrides against the broker defaults */
    public TopicRegistry(Context owner, MetadataStore store, PartitionRegistry partitions, int nodeId,
                         Function<Map<String, String>, LogConfig> logConfigs) {
        this.owner = owner;
        this.store = store;
        this.partitions = partitions;
        this.nodeId = nodeId;
        this.logConfigs = logConfigs;
    }

    public MetadataImage image() {
        return image;
    }

    /** Connects the registry to the controller that decides its changes. */
    public void connect(ControllerClient controllerClient) {
        this.controller = controllerClient;
    }

    /** Calls {@code listener} with the name of every deleted topic (for state kept about it elsewhere). */
    public void onDeleted(Consumer<String> listener) {
        deletionListeners.add(listener);
    }

    /**
     * Calls {@code listener} (on a worker thread, in order) with the previous (null for a new topic) and the new
     * metadata of every topic change applied here, after the partitions' logs are open.
     */
    public void onChanged(BiConsumer<TopicInfo, TopicInfo> listener) {
        changeListeners.add(listener);
    }

    /** Loads the stored topics and opens (recovering as needed) the logs of the partitions this broker replicates. */
    public Future<Void> load() {
        return owner.executeBlocking(() -> {
            long startNanos = System.nanoTime();
            List<TopicInfo> topics = store.loadTopics(nodeId);
            deletedIds.addAll(store.loadDeletedTopicIds());
            // In parallel: after a crash each log is scanned from its recovery point, and even a clean open
            // waits on a few small reads per partition.
            List<ParallelIo.Task> opens = new ArrayList<>();
            for (TopicInfo topic : topics) {
                LogConfig config = logConfigs.apply(topic.configs());
                for (int p = 0; p < topic.partitionCount(); p++) {
                    if (topic.partition(p).isReplica(nodeId)) {
                        int index = p;
                        opens.add(() -> openPartition(topic, index, config));
                    }
                }
            }
            ParallelIo.runAll(opens);
            image = MetadataImage.of(topics);
            LOG.info("Loaded {} topics with {} partitions in {} ms", topics.size(),
                    topics.stream().mapToInt(TopicInfo::partitionCount).sum(), (System.nanoTime() - startNanos) / 1_000_000);
            return null;
        }, true);
    }

    // ---- requests, decided by the controller

    /** Creates a topic with the default replication; fails with a {@link TopicException} saying why it cannot. */
    public Future<TopicInfo> create(String name, int partitionCount, Map<String, String> configs, boolean validateOnly) {
        return create(name, partitionCount, -1, null, configs, validateOnly);
    }

    /**
     * Creates a topic.
     *
     * @param replicationFactor -1 for the default
     * @param assignments       explicit replica lists per partition, or null to let the controller place them
     */
    public Future<TopicInfo> create(String name, int partitionCount, int replicationFactor,
                                    List<List<Integer>> assignments, Map<String, String> configs,
                                    boolean validateOnly) {
        return controller.create(name, partitionCount, replicationFactor, assignments, configs, validateOnly)
                .compose(created -> validateOnly ? Future.succeededFuture(created)
                        : awaitApplied(name, t -> t != null && t.id().equals(created.id())));
    }

    /**
     * The topic, created with {@code partitionCount} partitions and {@code configs} if it does not exist yet. Another
     * broker creating it at the same moment is no failure: its topic is waited for instead.
     */
    public Future<TopicInfo> ensure(String name, int partitionCount, Map<String, String> configs) {
        return image.topic(name).map(Future::succeededFuture).orElseGet(() ->
                create(name, partitionCount, configs, false).recover(e -> {
                    if (e instanceof TopicException te && te.reason() == TopicException.Reason.ALREADY_EXISTS) {
                        return awaitApplied(name, t -> t != null);
                    }
                    return Future.failedFuture(e);
                }));
    }

    /** Deletes a topic and its data. */
    public Future<TopicInfo> delete(String name) {
        return controller.delete(name).compose(deleted -> awaitApplied(name, t -> t == null || !t.id().equals(deleted.id()))
                .map(deleted));
    }

    /** Replaces a topic's config overrides (validated first, as a whole). */
    public Future<TopicInfo> alterConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        return controller.alterConfigs(name, overrides, validateOnly)
                .compose(altered -> validateOnly ? Future.succeededFuture(altered)
                        : awaitApplied(name, t -> t != null && t.configs().equals(altered.configs())));
    }

    /** Grows a topic to {@code count} partitions (CreatePartitions); partitions are never removed. */
    public Future<TopicInfo> addPartitions(String name, int count, boolean validateOnly) {
        return addPartitions(name, count, null, validateOnly);
    }

    public Future<TopicInfo> addPartitions(String name, int count, List<List<Integer>> assignments,
                                           boolean validateOnly) {
        return controller.addPartitions(name, count, assignments, validateOnly)
                .compose(grown -> validateOnly ? Future.succeededFuture(grown)
                        : awaitApplied(name, t -> t != null && t.partitionCount() >= count));
    }

    /** Completes once this broker's image of {@code name} satisfies {@code done} (null: the topic is absent). */
    public Future<TopicInfo> awaitApplied(String name, Predicate<TopicInfo> done) {
        Promise<TopicInfo> promise = Promise.promise();
        Waiter waiter = new Waiter(name, done, promise);
        waiters.add(waiter);
        TopicInfo current = image.topic(name).orElse(null);
        if (done.test(current)) {
            waiters.remove(waiter);
            promise.tryComplete(current);
        }
        return promise.future();
    }

    // ---- changes, as the controller published them

    /** Applies a topic's new metadata: opens or drops this broker's replicas, persists, publishes. */
    public Future<Void> apply(TopicInfo next) {
        return owner.executeBlocking(() -> {
            TopicInfo previous = image.topic(next.name()).orElse(null);
            if (previous != null && !previous.id().equals(next.id())) {
                // The topic was deleted and re-created while this broker did not hear of it.
                dropLocal(previous, 0);
                previous = null;
            }
            LogConfig config = logConfigs.apply(next.configs());
            for (int p = 0; p < next.partitionCount(); p++) {
                TopicPartition tp = new TopicPartition(next.name(), p);
                if (next.partition(p).isReplica(nodeId)) {
                    openPartition(next, p, config);
                } else if (partitions.get(tp) != null) {
                    LOG.info("{} moved away from this broker; deleting its replica", tp);
                    partitions.delete(tp);
                }
            }
            if (previous != null && !previous.configs().equals(next.configs())) {
                updateConfigs(next, config);
            }
            MetadataImage nextImage = image.with(next);
            store.saveTopics(nextImage);
            image = nextImage;
            for (BiConsumer<TopicInfo, TopicInfo> listener : changeListeners) {
                listener.accept(previous, next);
            }
            wakeWaiters(next.name());
            return null;
        }, true);
    }

    /** Applies a topic's deletion: drops its local data and tells the deletion listeners. */
    public Future<Void> applyDeletion(String name) {
        return applyDeletion(name, null);
    }

    /** Deletes topic {@code name} if it is still the one with id {@code id} (any id when null). */
    private Future<Void> applyDeletion(String name, Uuid id) {
        return owner.executeBlocking(() -> {
            TopicInfo topic = image.topic(name).orElse(null);
            if (topic == null || (id != null && !topic.id().equals(id))) {
                return null;
            }
            MetadataImage next = image.without(name);
            deletedIds.add(topic.id());
            store.saveDeletedTopicIds(deletedIds);
            store.saveTopics(next);
            image = next;
            dropLocal(topic, 0);
            LOG.info("Deleted topic {} (id {})", name, topic.id());
            deletionListeners.forEach(listener -> listener.accept(name));
            wakeWaiters(name);
            return null;
        }, true);
    }

    /** The ids of topics this broker saw deleted (reported to the controller at start-up). */
    public Future<Set<Uuid>> deletedTopicIds() {
        return owner.executeBlocking(() -> Set.copyOf(deletedIds), true);
    }

    /**
     * Applies deletions this broker missed while it was down: every topic it still has whose id the cluster
     * deleted goes, with its data.
     */
    public Future<Void> applyDeletedIds(Set<Uuid> ids) {
        Future<Void> chain = Future.succeededFuture();
        for (TopicInfo topic : image.topics()) {
            if (ids.contains(topic.id())) {
                chain = chain.compose(v -> applyDeletion(topic.name(), topic.id()));
            }
        }
        return chain.compose(v -> owner.executeBlocking(() -> {
            if (deletedIds.addAll(ids)) {
                store.saveDeletedTopicIds(deletedIds);
            }
            return null;
        }, true));
    }

    private void dropLocal(TopicInfo topic, int from) throws IOException {
        for (int p = from; p < topic.partitionCount(); p++) {
            partitions.delete(new TopicPartition(topic.name(), p));
        }
    }

    private void updateConfigs(TopicInfo topic, LogConfig config) {
        for (int p = 0; p < topic.partitionCount(); p++) {
            Partition partition = partitions.get(new TopicPartition(topic.name(), p));
            if (partition != null) {
                partition.owner().runOnContext(v -> {
                    if (!partition.isClosed()) {
                        partition.log().updateConfig(config);
                    }
                });
            }
        }
        LOG.info("Altered the configs of topic {}: {}", topic.name(), topic.configs());
    }

    private void wakeWaiters(String name) {
        TopicInfo current = image.topic(name).orElse(null);
        for (Waiter waiter : waiters) {
            if (waiter.name().equals(name) && waiter.done().test(current) && waiters.remove(waiter)) {
                waiter.promise().tryComplete(current);
            }
        }
    }

    private void openPartition(TopicInfo topic, int p, LogConfig config) throws IOException {
        try {
            partitions.open(topic.name(), topic.id(), p, config, topic.partition(p), nodeId);
        } catch (IOException e) {
            throw new TopicException(TopicException.Reason.STORAGE_ERROR,
                    "Could not open the log of " + topic.name() + "-" + p + ": " + e.getMessage(), e);
        }
    }
}
