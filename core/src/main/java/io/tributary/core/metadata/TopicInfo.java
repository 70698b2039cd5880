package io.tributary.core.metadata;

import org.apache.kafka.common.Uuid;

import java.util.Map;

/**
 * What the broker knows about one topic: its stable id, partition count and config overrides.
 * Immutable; a change produces a new instance in a new {@link MetadataImage}.
 */
public record TopicInfo(String name, Uuid id, int partitionCount, Map<String, String> configs) {

    public TopicInfo {
        configs = Map.copyOf(configs);
    }

    public boolean isInternal() {
        return name.startsWith("__");
    }

    public TopicInfo withConfigs(Map<String, String> newConfigs) {
        return new TopicInfo(name, id, partitionCount, newConfigs);
    }
}
