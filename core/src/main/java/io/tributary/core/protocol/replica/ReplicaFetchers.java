package io.tributary.core.protocol.replica;

import io.tributary.core.cluster.Membership;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ClusterConfigDef;
import io.tributary.core.partition.Partition;
import io.tributary.core.replication.ReplicaManager;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link ReplicaFetcher} per leader this broker follows partitions of, each on its own event loop; a partition
 * moves between fetchers as its leader changes. Runs on one context.
 */
public final class ReplicaFetchers implements ReplicaManager.Followers {

    private final Vertx vertx;
    private final Context context;
    private final List<Context> loops;
    private final Membership membership;
    private final int maxWaitMs;
    private final int maxBytes;
    /** How followers reach leaders: inter.broker.listener.name and its security. */
    private final InterBrokerClient interBroker;
    private final Map<Integer, ReplicaFetcher> byLeader = new HashMap<>();
    private final Map<TopicPartition, Integer> leaderOf = new HashMap<>();

    public ReplicaFetchers(Vertx vertx, Context context, List<Context> loops, Membership membership,
                           BrokerConfig config) {
        this.vertx = vertx;
        this.context = context;
        this.loops = loops;
        this.membership = membership;
        this.maxWaitMs = (Integer) config.value(ClusterConfigDef.REPLICA_FETCH_WAIT_MAX_MS);
        this.maxBytes = (Integer) config.value(ClusterConfigDef.REPLICA_FETCH_MAX_BYTES);
        this.interBroker = InterBrokerClient.from(config);
    }

    @Override
    public void follow(Partition partition, int leaderId) {
        context.runOnContext(v -> {
            TopicPartition tp = partition.topicPartition();
            Integer current = leaderOf.get(tp);
            if (current != null && current != leaderId) {
                byLeader.get(current).remove(tp);
            }
            leaderOf.put(tp, leaderId);
            ReplicaFetcher fetcher = byLeader.computeIfAbsent(leaderId, id -> new ReplicaFetcher(vertx,
                    loops.get(Math.floorMod(id, loops.size())), membership, id, interBroker, maxWaitMs, maxBytes));
            fetcher.add(partition);
        });
    }

    @Override
    public void unfollow(TopicPartition tp) {
        context.runOnContext(v -> {
            Integer leader = leaderOf.remove(tp);
            if (leader != null) {
                byLeader.get(leader).remove(tp);
            }
        });
    }

    @Override
    public Future<Void> stop() {
        return io.tributary.core.concurrent.ContextHop.compose(context, () -> {
            List<Future<Void>> stops = new ArrayList<>();
            byLeader.values().forEach(f -> stops.add(f.stop()));
            byLeader.clear();
            leaderOf.clear();
            return Future.join(stops).mapEmpty();
        });
    }
}
