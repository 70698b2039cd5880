package io.tributary.core.metadata;

import io.tributary.core.partition.Partition;
import io.tributary.core.partition.ParallelIo;
import io.tributary.core.partition.PartitionRegistry;
import io.tributary.storage.LogConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Creates, deletes and lists topics. Every change runs as an ordered blocking task on one context, so
 * changes are serialised without locks, their file work stays off the event loops, and each publishes
 * a new immutable {@link MetadataImage} only after it is durable on disk.
 */
public final class TopicRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TopicRegistry.class);

    private final Context owner;
    private final MetadataStore store;
    private final PartitionRegistry partitions;
    private final Function<Map<String, String>, LogConfig> logConfigs;
    private final Consumer<Map<String, String>> configValidator;
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();

    /**
     * @param logConfigs      resolves a topic's overrides against the broker defaults
     * @param configValidator throws with a message naming the key when an override is invalid
     */
    public TopicRegistry(Context owner, MetadataStore store, PartitionRegistry partitions,
                         Function<Map<String, String>, LogConfig> logConfigs,
                         Consumer<Map<String, String>> configValidator) {
        this.owner = owner;
        this.store = store;
        this.partitions = partitions;
        this.logConfigs = logConfigs;
        this.configValidator = configValidator;
    }

    public MetadataImage image() {
        return image;
    }

    /** Calls {@code listener} with the name of every deleted topic (for state kept about it elsewhere). */
    public void onDeleted(Consumer<String> listener) {
        deletionListeners.add(listener);
    }

    /** Loads the stored topics and opens (recovering as needed) every partition log. */
    public Future<Void> load() {
        return owner.executeBlocking(() -> {
            long startNanos = System.nanoTime();
            List<TopicInfo> topics = store.loadTopics();
            // In parallel: after a crash each log is scanned from its recovery point, and even a clean open
            // waits on a few small reads per partition.
            List<ParallelIo.Task> opens = new ArrayList<>();
            for (TopicInfo topic : topics) {
                LogConfig config = logConfigs.apply(topic.configs());
                for (int p = 0; p < topic.partitionCount(); p++) {
                    int index = p;
                    opens.add(() -> openPartition(topic, index, config));
                }
            }
            ParallelIo.runAll(opens);
            image = MetadataImage.of(topics);
            LOG.info("Loaded {} topics with {} partitions in {} ms", topics.size(),
                    topics.stream().mapToInt(TopicInfo::partitionCount).sum(), (System.nanoTime() - startNanos) / 1_000_000);
            return null;
        }, true);
    }

    /** Creates a topic; fails with a {@link TopicException} saying why it cannot. */
    public Future<TopicInfo> create(String name, int partitionCount, Map<String, String> configs, boolean validateOnly) {
        return owner.executeBlocking(() -> {
            TopicNames.validate(name);
            if (partitionCount < 1) {
                throw new TopicException(TopicException.Reason.INVALID_PARTITIONS,
                        "Number of partitions must be at least 1, was " + partitionCount);
            }
            validateConfigs(configs);
            if (image.topic(name).isPresent()) {
                throw new TopicException(TopicException.Reason.ALREADY_EXISTS, "Topic '" + name + "' already exists.");
            }
            TopicInfo topic = new TopicInfo(name, newTopicId(), partitionCount, configs);
            if (validateOnly) {
                return topic;
            }
            openPartitions(topic, 0);
            MetadataImage next = image.with(topic);
            store.saveTopics(next);
            image = next;
            LOG.info("Created topic {} with {} partitions (id {})", name, partitionCount, topic.id());
            return topic;
        }, true);
    }

    /** Deletes a topic and its data. */
    public Future<TopicInfo> delete(String name) {
        return owner.executeBlocking(() -> {
            TopicInfo topic = image.topic(name).orElseThrow(() ->
                    new TopicException(TopicException.Reason.UNKNOWN_TOPIC, "Topic '" + name + "' does not exist"));
            MetadataImage next = image.without(name);
            store.saveTopics(next);
            image = next;
            for (int p = 0; p < topic.partitionCount(); p++) {
                partitions.delete(new TopicPartition(name, p));
            }
            LOG.info("Deleted topic {} (id {})", name, topic.id());
            deletionListeners.forEach(listener -> listener.accept(name));
            return topic;
        }, true);
    }

    /**
     * Replaces a topic's config overrides (validated first, as a whole) and applies them to its open
     * logs on their owner contexts.
     */
    public Future<TopicInfo> alterConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        return owner.executeBlocking(() -> {
            TopicInfo topic = existing(name);
            validateConfigs(overrides);
            TopicInfo altered = topic.withConfigs(overrides);
            if (validateOnly) {
                return altered;
            }
            MetadataImage next = image.with(altered);
            store.saveTopics(next);
            image = next;
            LogConfig config = logConfigs.apply(overrides);
            for (int p = 0; p < topic.partitionCount(); p++) {
                Partition partition = partitions.get(new TopicPartition(name, p));
                if (partition != null) {
                    partition.owner().runOnContext(v -> {
                        if (!partition.isClosed()) {
                            partition.log().updateConfig(config);
                        }
                    });
                }
            }
            LOG.info("Altered the configs of topic {}: {}", name, overrides);
            return altered;
        }, true);
    }

    /** Grows a topic to {@code count} partitions (CreatePartitions); partitions are never removed. */
    public Future<TopicInfo> addPartitions(String name, int count, boolean validateOnly) {
        return owner.executeBlocking(() -> {
            TopicInfo topic = existing(name);
            if (count < topic.partitionCount()) {
                throw new TopicException(TopicException.Reason.INVALID_PARTITIONS, "Topic currently has "
                        + topic.partitionCount() + " partitions, which is higher than the requested " + count + ".");
            }
            if (count == topic.partitionCount()) {
                throw new TopicException(TopicException.Reason.INVALID_PARTITIONS,
                        "Topic already has " + count + " partitions.");
            }
            TopicInfo grown = new TopicInfo(name, topic.id(), count, topic.configs());
            if (validateOnly) {
                return grown;
            }
            openPartitions(grown, topic.partitionCount());
            MetadataImage next = image.with(grown);
            store.saveTopics(next);
            image = next;
            LOG.info("Topic {} now has {} partitions (was {})", name, count, topic.partitionCount());
            return grown;
        }, true);
    }

    private TopicInfo existing(String name) {
        return image.topic(name).orElseThrow(() ->
                new TopicException(TopicException.Reason.UNKNOWN_TOPIC, "Topic '" + name + "' does not exist"));
    }

    private void validateConfigs(Map<String, String> configs) {
        try {
            configValidator.accept(configs);
        } catch (RuntimeException e) {
            throw new TopicException(TopicException.Reason.INVALID_CONFIG, e.getMessage(), e);
        }
    }

    private void openPartitions(TopicInfo topic, int from) throws IOException {
        LogConfig config = logConfigs.apply(topic.configs());
        for (int p = from; p < topic.partitionCount(); p++) {
            openPartition(topic, p, config);
        }
    }

    private void openPartition(TopicInfo topic, int p, LogConfig config) throws IOException {
        try {
            partitions.open(topic.name(), topic.id(), p, config);
        } catch (IOException e) {
            throw new TopicException(TopicException.Reason.STORAGE_ERROR,
                    "Could not open the log of " + topic.name() + "-" + p + ": " + e.getMessage(), e);
        }
    }

    private Uuid newTopicId() {
        Uuid id;
        do {
            id = Uuid.randomUuid();
        } while (image.topic(id).isPresent());
        return id;
    }
}
