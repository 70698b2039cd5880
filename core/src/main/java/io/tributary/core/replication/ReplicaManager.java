package io.tributary.core.replication;

import io.tributary.core.cluster.ControllerClient;
import io.tributary.core.cluster.Membership;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicRegistry;
import io.tributary.core.metrics.ReplicationMetrics;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the controller's partition states into what this broker does: leads (serving produce and fetch, keeping
 * the ISR) or follows (fetching from the leader through {@link Followers}). As leader it asks the controller to
 * drop followers that fell behind for longer than replica.lag.time.max.ms and to take back those that caught up;
 * the controller accepts a change only if it is based on the partition's current epochs.
 */
public final class ReplicaManager {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    /** What follows leaders: the replica fetchers. */
    public interface Followers {
        void follow(Partition partition, int leaderId);

        void unfollow(TopicPartition tp);

        Future<Void> stop();
    }

    /** Told, on the partition's context, when this broker starts or stops leading a partition of a topic. */
    public interface LeadershipListener {
        void changed(Partition partition, boolean leader);
    }

    private final Map<String, LeadershipListener> leadershipListeners = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final Context context;
    private final Membership membership;
    private final PartitionRegistry partitions;
    private final TopicRegistry topics;
    private final ControllerClient controller;
    private final Followers followers;
    private final Clock clock;
    private final long lagMaxMs;
    private final ReplicationMetrics metrics;
    private final Set<TopicPartition> isrChangesInFlight = ConcurrentHashMap.newKeySet();
    private long timerId = -1;

    public ReplicaManager(Vertx vertx, Context context, Membership membership, PartitionRegistry partitions,
                          TopicRegistry topics, ControllerClient controller, Followers followers, Clock clock,
                          long lagMaxMs, ReplicationMetrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.context = context;
        this.membership = membership;
        this.partitions = partitions;
        this.topics = topics;
        this.controller = controller;
        this.followers = followers;
        this.clock = clock;
        this.lagMaxMs = lagMaxMs;
    }

    /** Applies the current states, follows every later change and starts the ISR checks. */
    public void start() {
        topics.onChanged((previous, next) -> apply(next));
        topics.image().topics().forEach(this::apply);
        context.runOnContext(v -> timerId = vertx.setPeriodic(Math.max(100, lagMaxMs / 2), id -> shrinkIsrs()));
    }

    /** Calls {@code listener} whenever this broker gains or loses the leadership of a partition of {@code topic}. */
    public void onLeadership(String topic, LeadershipListener listener) {
        leadershipListeners.put(topic, listener);
    }

    public Future<Void> stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        return followers.stop();
    }

    private void apply(TopicInfo topic) {
        int self = membership.localId();
        for (int p = 0; p < topic.partitionCount(); p++) {
            PartitionState state = topic.partition(p);
            Partition partition = partitions.get(new TopicPartition(topic.name(), p));
            if (partition == null || !state.isReplica(self)) {
                continue;
            }
            partition.owner().runOnContext(v -> {
                if (partition.isClosed()) {
                    return;
                }
                PartitionState current = partition.state();
                if (current.leaderEpoch() > state.leaderEpoch() || (current.leaderEpoch() == state.leaderEpoch()
                        && current.partitionEpoch() > state.partitionEpoch())) {
                    return; // an older state arriving late
                }
                boolean wasLeader = partition.isLeader();
                partition.applyState(state, clock.millis());
                LeadershipListener listener = leadershipListeners.get(topic.name());
                if (listener != null && wasLeader != partition.isLeader()) {
                    listener.changed(partition, partition.isLeader());
                }
                if (state.leader() == self || !state.hasLeader()) {
                    followers.unfollow(partition.topicPartition());
                } else {
                    followers.follow(partition, state.leader());
                }
            });
        }
    }

    /** A follower caught up with the leader's high watermark: ask the controller to add it to the ISR. */
    public void requestIsrExpansion(Partition partition, int replicaId) {
        PartitionState state = partition.state();
        if (state.isr().contains(replicaId) || !isrChangesInFlight.add(partition.topicPartition())) {
            return;
        }
        List<Integer> isr = new ArrayList<>(state.isr());
        isr.add(replicaId);
        alterIsr(partition, state, isr);
    }

    /**
     * Drops ISR followers that have not caught up for longer than replica.lag.time.max.ms, and makes sure every
     * partition this broker follows is being fetched (following is idempotent, so a missed change heals here).
     */
    private void shrinkIsrs() {
        long now = clock.millis();
        for (Partition partition : partitions.all()) {
            partition.owner().runOnContext(v -> {
                PartitionState followed = partition.isClosed() ? null : partition.state();
                if (followed != null && !partition.isLeader() && followed.hasLeader()
                        && followed.leader() != membership.localId()) {
                    followers.follow(partition, followed.leader());
                }
                if (partition.isClosed() || !partition.isLeader()
                        || isrChangesInFlight.contains(partition.topicPartition())) {
                    return;
                }
                List<Integer> lagging = partition.laggingFollowers(now, lagMaxMs);
                if (lagging.isEmpty()) {
                    return;
                }
                PartitionState state = partition.state();
                List<Integer> isr = new ArrayList<>(state.isr());
                isr.removeAll(lagging);
                if (isrChangesInFlight.add(partition.topicPartition())) {
                    LOG.info("{}: followers {} fell behind for more than {} ms; leaving the ISR",
                            partition.topicPartition(), lagging, lagMaxMs);
                    alterIsr(partition, state, isr);
                }
            });
        }
    }

    private void alterIsr(Partition partition, PartitionState basedOn, List<Integer> isr) {
        TopicPartition tp = partition.topicPartition();
        controller.alterIsr(tp.topic(), tp.partition(), basedOn, isr)
                .onComplete(ar -> {
                    isrChangesInFlight.remove(tp);
                    if (ar.failed() && ControllerClient.isFenced(ar.cause())) {
                        // The metadata log brings the newer state; the next check starts from it.
                        LOG.info("ISR change of {} to {} refused ({}); this broker had epochs {}/{}", tp, isr,
                                ar.cause().getMessage(), basedOn.leaderEpoch(), basedOn.partitionEpoch());
                    } else if (ar.failed()) {
                        LOG.warn("ISR change of {} to {} failed: {}", tp, isr, ar.cause().getMessage());
                    }
                    if (ar.succeeded()) {
                        metrics.isrChanged(basedOn.isr().size(), ar.result().isr().size());
                        // The metadata log brings the same state; applying it now makes acks=all waiters move at once.
                        ContextHop.call(partition.owner(), () -> {
                            if (!partition.isClosed() && partition.state().partitionEpoch() < ar.result().partitionEpoch()) {
                                partition.applyState(ar.result(), clock.millis());
                            }
                            return null;
                        });
                    }
                });
    }
}
