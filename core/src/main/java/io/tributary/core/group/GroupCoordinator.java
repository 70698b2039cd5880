package io.tributary.core.group;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.group.AdminMessages.GroupDescription;
import io.tributary.core.group.AdminMessages.GroupListing;
import io.tributary.core.group.ClassicMessages.JoinRequest;
import io.tributary.core.group.ClassicMessages.JoinResult;
import io.tributary.core.group.ClassicMessages.LeaveRequest;
import io.tributary.core.group.ClassicMessages.LeaveResult;
import io.tributary.core.group.ClassicMessages.MemberLeft;
import io.tributary.core.group.ClassicMessages.SyncRequest;
import io.tributary.core.group.ClassicMessages.SyncResult;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.DeleteRequest;
import io.tributary.core.group.OffsetMessages.DeleteResult;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.group.OffsetMessages.FetchResult;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicRegistry;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
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
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The broker's group coordinator: one {@link CoordinatorShard} per partition of __consumer_offsets that this
 * broker leads, each on its partition's event loop. A group belongs to the shard of partition
 * {@code abs(hash(groupId)) % partitions}, as in Kafka; every call hops to that shard and back. Shards move
 * with leadership: {@link #elect} loads one from its partition, {@link #resign} unloads it; a group whose
 * partition is led elsewhere is answered NOT_COORDINATOR so the client looks for the new coordinator.
 */
public final class GroupCoordinator {

    public static final String OFFSETS_TOPIC = "__consumer_offsets";
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    private final LeaderShards<CoordinatorShard> shards;
    private final GroupConfig config;

    private GroupCoordinator(LeaderShards<CoordinatorShard> shards, GroupConfig config) {
        this.shards = shards;
        this.config = config;
    }

    /** This broker now leads {@code partition} of __consumer_offsets: load its shard and serve its groups. */
    public Future<Void> elect(Partition partition) {
        return shards.elect(partition);
    }

    /** Another broker leads partition {@code p} now: stop serving its groups here. */
    public Future<Void> resign(int p) {
        return shards.resign(p);
    }

    /**
     * A coordinator that serves no group until {@link #openTopic} has created or found __consumer_offsets. Until
     * then groups map to partitions by the topic's existing partition count, or else by the configured one.
     */
    public static GroupCoordinator create(Vertx vertx, GroupConfig config, TopicRegistry topics, BatchCodec codec,
                                          SubscriptionParser parser, Clock clock) {
        TopicLookup lookup = new ImageTopicLookup(topics);
        Scheduler scheduler = new VertxScheduler(vertx, clock);
        return new GroupCoordinator(new LeaderShards<>(OFFSETS_TOPIC, "group coordinator",
                () -> topics.image().topic(OFFSETS_TOPIC).map(TopicInfo::partitionCount)
                        .orElse(config.offsetsPartitions()),
                LeaderShards.Lifecycle.of(
                        partition -> new CoordinatorShard(partition.topicPartition().partition(), partition.owner(),
                                new PartitionShardLog(partition), codec, scheduler, config, lookup, parser),
                        CoordinatorShard::owner, CoordinatorShard::load,
                        shard -> shard.unload(GroupError.NOT_COORDINATOR))), config);
    }

    /**
     * Creates __consumer_offsets if missing, then loads the shards of the partitions this broker leads.
     *
     * @param offsetsTopicConfigs the configs __consumer_offsets is created with (compacted)
     */
    public Future<Void> openTopic(TopicRegistry topics, PartitionRegistry partitions,
                                  Map<String, String> offsetsTopicConfigs) {
        return topics.ensure(OFFSETS_TOPIC, config.offsetsPartitions(), offsetsTopicConfigs).compose(info -> {
            if (info.partitionCount() != config.offsetsPartitions()) {
                LOG.warn("{} has {} partitions; offsets.topic.num.partitions ({}) only applies when it is created",
                        OFFSETS_TOPIC, info.partitionCount(), config.offsetsPartitions());
            }
            shards.open(info.partitionCount());
            return syncLeadership(partitions);
        });
    }

    /** Loads the shards of the partitions this broker leads and unloads the others. */
    public Future<Void> syncLeadership(PartitionRegistry partitions) {
        return shards.sync(partitions);
    }

    /** The partition of __consumer_offsets (and so the shard) of a group. */
    public int partitionFor(String groupId) {
        int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % shards.partitionCount();
    }

    // ---- classic protocol

    public Future<JoinResult> joinGroup(JoinRequest request) {
        return onShardReplicated(request.groupId(), s -> s.classic.join(request),
                e -> JoinResult.error(e, request.memberId()));
    }

    public Future<SyncResult> syncGroup(SyncRequest request) {
        return onShardReplicated(request.groupId(), s -> s.classic.sync(request), SyncResult::error);
    }

    public Future<GroupError> heartbeat(ClassicMessages.HeartbeatRequest request) {
        return onShard(request.groupId(), s -> Future.succeededFuture(s.classic.heartbeat(request)), e -> e);
    }

    public Future<LeaveResult> leaveGroup(LeaveRequest request) {
        return onShardReplicated(request.groupId(), s -> Future.succeededFuture(s.classic.leave(request)),
                e -> new LeaveResult(e, request.members().stream()
                        .map(m -> new MemberLeft(m.memberId(), m.instanceId(), e)).toList()));
    }

    // ---- consumer protocol

    public Future<ConsumerMessages.HeartbeatResult> consumerGroupHeartbeat(ConsumerMessages.HeartbeatRequest request) {
        return onShardReplicated(request.groupId(), s -> Future.succeededFuture(s.consumer.heartbeat(request)),
                e -> ConsumerMessages.HeartbeatResult.error(e, null));
    }

    public Future<ConsumerMessages.GroupDescription> describeConsumerGroup(String groupId) {
        return onShard(groupId, s -> Future.succeededFuture(s.admin.describeConsumerGroup(groupId)),
                e -> ConsumerMessages.GroupDescription.error(groupId, e, null));
    }

    // ---- offsets

    /** OffsetCommit, answered once the commit is on every in-sync replica of the group's partition. */
    public Future<CommitResult> commitOffsets(CommitRequest request) {
        return onShard(request.groupId(), s -> whenReplicated(s, s.offsets.commit(request),
                () -> new CommitResult(GroupError.NOT_COORDINATOR, Map.of())), e -> new CommitResult(e, Map.of()));
    }

    /** TxnOffsetCommit: the offsets are held until the producer's transaction is decided. */
    public Future<CommitResult> commitTransactionalOffsets(OffsetMessages.TxnCommitRequest request) {
        return onShard(request.groupId(), s -> whenReplicated(s, s.txnOffsets.commit(request),
                () -> new CommitResult(GroupError.NOT_COORDINATOR, Map.of())), e -> new CommitResult(e, Map.of()));
    }

    /** {@code result} once the shard's writes are replicated; {@code leaderLost} if it stopped leading first. */
    private static <T> Future<T> whenReplicated(CoordinatorShard shard, T result, Supplier<T> leaderLost) {
        return shard.replicated().map(result).otherwise(e -> leaderLost.get());
    }

    /**
     * Writes the COMMIT or ABORT marker of {@code producerId} into __consumer_offsets partition
     * {@code offsetsPartition} and applies or drops its transactional offsets there. Fails when the marker could
     * not be written (the shard is not serving, or its log refused it); the transaction coordinator retries.
     */
    public Future<Void> completeTransaction(int offsetsPartition, long producerId, short epoch, boolean commit) {
        if (offsetsPartition < 0 || offsetsPartition >= shards.partitionCount()) {
            return Future.succeededFuture();
        }
        CoordinatorShard shard = shards.get(offsetsPartition);
        if (shard == null) {
            return Future.failedFuture(new IllegalStateException(OFFSETS_TOPIC + "-" + offsetsPartition
                    + " is not led by this broker"));
        }
        return ContextHop.compose(shard.owner(), () -> {
            if (!shard.isActive()) {
                throw new IllegalStateException(OFFSETS_TOPIC + "-" + offsetsPartition + " is not loaded");
            }
            shard.txnOffsets.complete(producerId, epoch, commit);
            return shard.replicated();
        });
    }

    /** Whether an open transaction holds an offset of the group for {@code tp} (OffsetFetch requireStable). */
    public Future<Boolean> hasPendingTransactionalOffset(String groupId, TopicPartition tp) {
        return onShard(groupId, s -> Future.succeededFuture(s.state.pendingTxnOffsets.hasPending(groupId, tp)),
                e -> false);
    }

    public Future<FetchResult> fetchOffsets(FetchRequest request) {
        return onShard(request.groupId(), s -> Future.succeededFuture(s.offsets.fetch(request)),
                e -> new FetchResult(e, Map.of()));
    }

    public Future<DeleteResult> deleteOffsets(DeleteRequest request) {
        return onShardReplicated(request.groupId(), s -> Future.succeededFuture(s.offsets.delete(request)),
                e -> new DeleteResult(e, Map.of()));
    }

    // ---- administration

    /** Every group of every shard that passes the filters. */
    public Future<List<GroupListing>> listGroups(Set<String> states, Set<String> types) {
        List<Future<List<GroupListing>>> parts = new ArrayList<>();
        for (CoordinatorShard shard : shards.loaded()) {
            parts.add(ContextHop.call(shard.owner(), () -> shard.isActive() ? shard.admin.list(states, types)
                    : List.<GroupListing>of()));
        }
        return Future.all(parts).map(all -> {
            List<GroupListing> result = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                result.addAll(all.<List<GroupListing>>resultAt(i));
            }
            return result;
        });
    }

    /** @param notFoundIsError DescribeGroups v6+ reports an unknown group as GROUP_ID_NOT_FOUND */
    public Future<GroupDescription> describeGroup(String groupId, boolean notFoundIsError) {
        return onShard(groupId, s -> Future.succeededFuture(s.admin.describe(groupId, notFoundIsError)),
                e -> GroupDescription.dead(groupId, e));
    }

    public Future<GroupError> deleteGroup(String groupId) {
        return onShardReplicated(groupId, s -> Future.succeededFuture(s.admin.delete(groupId)), e -> e);
    }

    /** Forgets the committed offsets of a deleted topic, in every shard. */
    public Future<Void> onTopicDeleted(String topic) {
        List<Future<Void>> parts = new ArrayList<>();
        for (CoordinatorShard shard : shards.loaded()) {
            parts.add(ContextHop.call(shard.owner(), () -> {
                if (shard.isActive()) {
                    shard.offsets.onTopicDeleted(topic);
                }
                return null;
            }));
        }
        return Future.join(parts).mapEmpty();
    }

    /** Stops serving (broker shutdown): parked JoinGroup and SyncGroup requests are answered NOT_COORDINATOR. */
    public Future<Void> unload() {
        List<Future<Void>> parts = new ArrayList<>();
        for (CoordinatorShard shard : shards.loaded()) {
            parts.add(ContextHop.call(shard.owner(), () -> {
                shard.unload(GroupError.NOT_COORDINATOR);
                return null;
            }));
        }
        return Future.join(parts).mapEmpty();
    }

    private <T> Future<T> onShard(String groupId, Function<CoordinatorShard, Future<T>> op,
                                  Function<GroupError, T> notServed) {
        if (groupId == null) {
            return Future.succeededFuture(notServed.apply(GroupError.INVALID_GROUP_ID));
        }
        CoordinatorShard shard = shards.get(partitionFor(groupId));
        if (shard == null) {
            return Future.succeededFuture(notServed.apply(GroupError.NOT_COORDINATOR));
        }
        Callable<Future<T>> work = () -> shard.isActive() ? op.apply(shard)
                : Future.succeededFuture(notServed.apply(GroupError.NOT_COORDINATOR));
        return ContextHop.compose(shard.owner(), work);
    }

    /**
     * {@link #onShard} for the operations that write the group's state (membership, assignments, deletions): the
     * answer waits until those writes are on every in-sync replica, as Kafka's coordinator appends with acks=all,
     * so a coordinator taking over after a failover knows every generation and assignment a client was told of.
     * Nothing written leaves nothing to wait for.
     */
    private <T> Future<T> onShardReplicated(String groupId, Function<CoordinatorShard, Future<T>> op,
                                            Function<GroupError, T> notServed) {
        return onShard(groupId, s -> op.apply(s).compose(result -> ContextHop.compose(s.owner(),
                () -> whenReplicated(s, result, () -> notServed.apply(GroupError.NOT_COORDINATOR)))), notServed);
    }
}
