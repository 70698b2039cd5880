package io.tributary.core.cluster;

import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicRegistry;
import io.vertx.core.Future;
import org.apache.kafka.common.Uuid;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A standalone broker's metadata log: the controller's decisions go straight to its own registry. */
public final class LocalMetadataLog implements MetadataLog {

    private final TopicRegistry registry;

    public LocalMetadataLog(TopicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Future<Void> publish(TopicInfo topic) {
        return registry.apply(topic);
    }

    @Override
    public Future<Void> remove(String name) {
        return registry.applyDeletion(name);
    }

    /** A standalone broker applies deletions at once: nothing can bring a deleted topic back. */
    @Override
    public Future<Void> tombstone(Uuid id, String name) {
        return Future.succeededFuture();
    }

    @Override
    public Future<Set<Uuid>> tombstones() {
        return Future.succeededFuture(Set.of());
    }

    @Override
    public Future<Map<String, TopicInfo>> snapshot() {
        Map<String, TopicInfo> topics = new HashMap<>();
        registry.image().topics().forEach(t -> topics.put(t.name(), t));
        return Future.succeededFuture(topics);
    }
}
