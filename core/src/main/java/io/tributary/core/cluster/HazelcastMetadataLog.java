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
import java.util.concurrent.atomic.AtomicBoolean;

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
    private static final long RECONCILE_MS = 5_000;

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
        }).compose(current -> applyAll(registry, current)).onSuccess(v -> reconcilePeriodically(registry));
    }

    /** Applies, every few seconds, any decision whose entry event this member missed ({@link MetadataReconciler}). */
    private void reconcilePeriodically(TopicRegistry registry) {
        MetadataReconciler reconciler = new MetadataReconciler();
        AtomicBoolean running = new AtomicBoolean();
        vertx.setPeriodic(RECONCILE_MS, id -> {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            vertx.executeBlocking(() -> new Published(new HashMap<>(topics), deletedIds()), false)
                    .onSuccess(published -> apply(registry,
                            reconciler.pass(published.topics(), published.deletedIds(), registry.image())))
                    .onFailure(e -> LOG.debug("Could not read the topic metadata to reconcile it", e))
                    .onComplete(ar -> running.set(false));
        });
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

    private record Published(Map<String, String> topics, Set<Uuid> deletedIds) {
    }

    private Set<Uuid> deletedIds() {
        Set<Uuid> ids = new HashSet<>();
        tombstones.keySet().forEach(id -> ids.add(Uuid.fromString(id)));
        return ids;
    }

    private static void apply(TopicRegistry registry, MetadataReconciler.Missed missed) {
        for (TopicInfo topic : missed.changes()) {
            LOG.warn("This member missed the controller's last change of topic {}; applying it now: {}",
                    topic.name(), topic.partitions());
            registry.apply(topic).onFailure(e -> LOG.error("Could not apply topic {}", topic.name(), e));
        }
        if (!missed.deletions().isEmpty()) {
            LOG.warn("This member missed the deletion of the topics with ids {}; deleting them now", missed.deletions());
            registry.applyDeletedIds(missed.deletions())
                    .onFailure(e -> LOG.error("Could not delete topics {}", missed.deletions(), e));
        }
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
        return vertx.executeBlocking(this::deletedIds);
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
