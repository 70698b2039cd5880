package io.tributary.core.metadata;

import io.tributary.core.partition.PartitionRegistry;
import io.tributary.storage.LogConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
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

    /** Loads the stored topics and opens (recovering as needed) every partition log. */
    public Future<Void> load() {
        return owner.executeBlocking(() -> {
            List<TopicInfo> topics = store.loadTopics();
            for (TopicInfo topic : topics) {
                openPartitions(topic, 0);
            }
            image = MetadataImage.of(topics);
            LOG.info("Loaded {} topics with {} partitions", topics.size(),
                    topics.stream().mapToInt(TopicInfo::partitionCount).sum());
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
            return topic;
        }, true);
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
            try {
                partitions.open(topic.name(), topic.id(), p, config);
            } catch (IOException e) {
                throw new TopicException(TopicException.Reason.STORAGE_ERROR,
                        "Could not open the log of " + topic.name() + "-" + p + ": " + e.getMessage(), e);
            }
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
