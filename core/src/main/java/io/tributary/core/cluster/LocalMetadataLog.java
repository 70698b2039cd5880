package io.tributary.core.cluster;

import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicRegistry;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;

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

    @Override
    public Future<Map<String, TopicInfo>> snapshot() {
        Map<String, TopicInfo> topics = new HashMap<>();
        registry.image().topics().forEach(t -> topics.put(t.name(), t));
        return Future.succeededFuture(topics);
    }
}
