package io.tributary.core.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicInfoJson;
import io.tributary.core.metadata.TopicRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The cluster's metadata log: a replicated Hazelcast map of topic name to topic metadata that only the
 * controller writes. Every member listens to it and applies each change to its registry, which persists it
 * on the member's own disk; after a full-cluster restart the members report their disk copies to the controller,
 * which publishes the latest state of each partition again.
 */
public final class HazelcastMetadataLog implements MetadataLog {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastMetadataLog.class);
    static final String TOPICS_MAP = "tributary.topics";

    static final String TOMBSTONES_MAP = "tributary.deleted-topics";

    private final Vertx vertx;
    private final IMap<String, String> topics;
    /** Topic id to name of every deleted topic; rebuilt from the members' disks after a full restart. */
    private final IMap<String, String> tombstones;

    public HazelcastMetadataLog(Vertx vertx, HazelcastInstance hazelcast) {
        this.vertx = vertx;
        this.topics = hazelcast.getMap(TOPICS_MAP);
        this.tombstones = hazelcast.getMap(TOMBSTONES_MAP);
    }

    /**
     * Applies the map's content and every later change to {@code registry}. The member's own disk copy reaches the
     * map through the controller ({@link ControllerClient#seed}), which keeps the later of two copies.
     */
    public Future<Void> attach(TopicRegistry registry) {
        return vertx.executeBlocking(() -> {
            topics.addEntryListener(new Applier(registry), true);
            return new HashMap<>(topics);
        }).compose(current -> applyAll(registry, current));
    }

    /**
     * After a network split heals, this member's side merged into the other: its map now holds the other side's
     * decisions, which arrive without entry events. Apply them all (the registry skips what it already has).
     */
    public void resyncAfterMerge(TopicRegistry registry) {
        vertx.executeBlocking(() -> new HashMap<>(topics))
                .compose(current -> applyAll(registry, current))
                .onSuccess(v -> LOG.info("Re-applied the cluster's topic metadata after a merge"))
                .onFailure(e -> LOG.error("Could not re-apply the topic metadata after a merge", e));
    }

    private static Future<Void> applyAll(TopicRegistry registry, Map<String, String> current) {
        Future<Void> chain = Future.succeededFuture();
        for (String json : current.values()) {
            TopicInfo topic = TopicInfoJson.decode(json);
            chain = chain.compose(v -> registry.apply(topic));
        }
        return chain;
    }

    @Override
    public Future<Void> publish(TopicInfo topic) {
        return Future.fromCompletionStage(topics.setAsync(topic.name(), TopicInfoJson.encode(topic)));
    }

    @Override
    public Future<Void> remove(String name) {
        return Future.fromCompletionStage(topics.removeAsync(name)).mapEmpty();
    }

    @Override
    public Future<Void> tombstone(Uuid id, String name) {
        return Future.fromCompletionStage(tombstones.setAsync(id.toString(), name));
    }

    @Override
    public Future<Set<Uuid>> tombstones() {
        return vertx.executeBlocking(() -> {
            Set<Uuid> ids = new HashSet<>();
            tombstones.keySet().forEach(id -> ids.add(Uuid.fromString(id)));
            return ids;
        });
    }

    @Override
    public Future<Map<String, TopicInfo>> snapshot() {
        return vertx.executeBlocking(() -> {
            Map<String, TopicInfo> result = new HashMap<>();
            topics.forEach((name, json) -> result.put(name, TopicInfoJson.decode(json)));
            return result;
        });
    }

    private static final class Applier implements EntryAddedListener<String, String>,
            EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {

        private final TopicRegistry registry;

        Applier(TopicRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            try {
                registry.apply(TopicInfoJson.decode(event.getValue()));
            } catch (RuntimeException e) {
                LOG.error("Ignoring unreadable metadata of topic {}", event.getKey(), e);
            }
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            entryAdded(event);
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            registry.applyDeletion(event.getKey());
        }
    }
}
