package io.tributary.core.metadata;

import org.apache.kafka.common.Uuid;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of all topics. Readers on any event loop take the current image without
 * locking; writers publish a whole new image (copy on write), since topic changes are rare.
 */
public final class MetadataImage {

    public static final MetadataImage EMPTY = new MetadataImage(Map.of());

    private final Map<String, TopicInfo> byName;
    private final Map<Uuid, TopicInfo> byId;

    private MetadataImage(Map<String, TopicInfo> byName) {
        this.byName = Map.copyOf(byName);
        Map<Uuid, TopicInfo> ids = new HashMap<>();
        byName.values().forEach(t -> ids.put(t.id(), t));
        this.byId = Map.copyOf(ids);
    }

    public static MetadataImage of(Collection<TopicInfo> topics) {
        Map<String, TopicInfo> map = new HashMap<>();
        topics.forEach(t -> map.put(t.name(), t));
        return new MetadataImage(map);
    }

    public Optional<TopicInfo> topic(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Optional<TopicInfo> topic(Uuid id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    public Collection<TopicInfo> topics() {
        return byName.values();
    }

    public MetadataImage with(TopicInfo topic) {
        Map<String, TopicInfo> map = new HashMap<>(byName);
        map.put(topic.name(), topic);
        return new MetadataImage(map);
    }

    public MetadataImage without(String name) {
        Map<String, TopicInfo> map = new HashMap<>(byName);
        map.remove(name);
        return new MetadataImage(map);
    }
}
