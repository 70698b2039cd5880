package io.tributary.core.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ClusterConfigDef;
import io.tributary.core.metadata.ClusterIdentity;
import io.tributary.core.metadata.MetadataStore;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The start-up steps that differ between a standalone and a clustered broker: agreeing on the cluster id,
 * joining membership and the metadata log, and waiting briefly for the first members before the internal topics
 * are placed (so they get replicas on more than the first broker up).
 */
public final class ClusterBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrap.class);
    private static final String CLUSTER_MAP = "tributary.cluster";
    private static final String CLUSTER_ID_KEY = "cluster.id";
    private static final long INITIAL_MEMBERS_WAIT_MS = 20_000;

    /** The membership and metadata log a broker joined. */
    public record Joined(Membership membership, MetadataLog log) {
    }

    private ClusterBootstrap() {
    }

    /**
     * The cluster id: for a standalone broker its log dir's (or a new one); in a cluster the one the first member
     * put in the shared map, which a log dir of another cluster refuses.
     */
    public static Future<String> identity(Vertx vertx, BrokerConfig config, MetadataStore store,
                                          HazelcastClusterManager hazelcast) {
        return vertx.executeBlocking(() -> {
            String configured = config.clusterIdOverride();
            if (hazelcast != null) {
                String proposal = configured != null ? configured : ClusterIdentity.stored(store);
                IMap<String, String> cluster = hazelcast.getHazelcastInstance().getMap(CLUSTER_MAP);
                String candidate = proposal != null ? proposal : Uuid.randomUuid().toString();
                String agreed = cluster.putIfAbsent(CLUSTER_ID_KEY, candidate);
                configured = agreed != null ? agreed : candidate;
            }
            return ClusterIdentity.loadOrCreate(store, config.nodeId(), configured);
        });
    }

    /** Joins membership and the metadata log; the registry then follows the controller's decisions. */
    public static Future<Joined> join(Vertx vertx, BrokerConfig config, TopicRegistry topics,
                                      HazelcastClusterManager hazelcast) {
        if (hazelcast == null) {
            return Future.succeededFuture(new Joined(
                    new SoloMembership(config.nodeId(), (String) config.value(ClusterConfigDef.BROKER_RACK)),
                    new LocalMetadataLog(topics)));
        }
        HazelcastInstance instance = hazelcast.getHazelcastInstance();
        HazelcastMetadataLog log = new HazelcastMetadataLog(vertx, instance);
        return vertx.executeBlocking(() -> new HazelcastMembership(vertx, instance, config.nodeId()))
                .compose(membership -> log.attach(topics).map(v -> {
                    instance.getLifecycleService().addLifecycleListener(event -> {
                        if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                            LOG.warn("This member rejoined the cluster after a network split");
                            membership.reannounce();
                            log.resyncAfterMerge(topics);
                        }
                    });
                    LOG.info("Joined cluster '{}' as node {}: {} members, controller {}",
                            config.value(ClusterConfigDef.CLUSTER_NAME), config.nodeId(),
                            membership.members().size(), membership.controllerId());
                    return new Joined(membership, log);
                }));
    }

    /**
     * Reports this member's disk copy of the topics to the controller, which adopts whatever it lacks or holds an
     * older state of (a member that stopped later than the one that came up first knows later decisions).
     */
    public static Future<Void> reportLocalCopies(BrokerConfig config, Membership membership,
                                                 ControllerClient controller, List<TopicInfo> localCopies,
                                                 TopicRegistry registry) {
        if (!membership.clustered()) {
            return Future.succeededFuture();
        }
        return registry.deletedTopicIds()
                .compose(deletedHere -> controller.seed(config.nodeId(), localCopies, deletedHere))
                .compose(registry::applyDeletedIds)
                .onSuccess(v -> LOG.info("Reported {} topics from this member's disk to the controller",
                        localCopies.size()))
                .recover(e -> Future.failedFuture(new IllegalStateException(
                        "Could not report this member's topics to the controller: " + e.getMessage(), e)));
    }

    /**
     * Waits (a bounded time) until as many members as internal topics want replicas have joined: the members of
     * cluster.join or default.replication.factor, at most 3. Then proceeds with whoever is there.
     */
    public static Future<Void> awaitInitialMembers(Vertx vertx, BrokerConfig config, Membership membership) {
        if (!membership.clustered()) {
            return Future.succeededFuture();
        }
        List<?> join = (List<?>) config.value(ClusterConfigDef.CLUSTER_JOIN);
        int wanted = Math.min(3, Math.max(join.size(), config.defaultReplicationFactor()));
        Promise<Void> ready = Promise.promise();
        long deadline = System.currentTimeMillis() + INITIAL_MEMBERS_WAIT_MS;
        Runnable check = new Runnable() {
            @Override
            public void run() {
                int present = membership.members().size();
                if (present >= wanted || System.currentTimeMillis() >= deadline) {
                    if (present < wanted) {
                        LOG.warn("Only {} of {} expected members joined; starting with them", present, wanted);
                    }
                    ready.tryComplete();
                } else {
                    vertx.setTimer(100, id -> run());
                }
            }
        };
        check.run();
        return ready.future();
    }
}
