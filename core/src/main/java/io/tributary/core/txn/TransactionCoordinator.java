package io.tributary.core.txn;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.group.BatchCodec;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.group.LeaderShards;
import io.tributary.core.group.PartitionShardLog;
import io.tributary.core.group.Scheduler;
import io.tributary.core.group.VertxScheduler;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicRegistry;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
import io.tributary.core.producer.ProducerIdAllocator;
import io.tributary.core.txn.TxnMessages.AddPartitionsRequest;
import io.tributary.core.txn.TxnMessages.AddPartitionsResult;
import io.tributary.core.txn.TxnMessages.EndRequest;
import io.tributary.core.txn.TxnMessages.InitRequest;
import io.tributary.core.txn.TxnMessages.InitResult;
import io.tributary.core.txn.TxnMessages.TxnDescription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The broker's transaction coordinator: one {@link TxnShard} per partition of __transaction_state, each on its
 * partition's event loop. A transactional id belongs to partition {@code abs(hash(id)) % partitions}, as in Kafka;
 * every call hops to that shard and back.
 */
public final class TransactionCoordinator {

    public static final String STATE_TOPIC = "__transaction_state";
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);

    private final LeaderShards<TxnShard> shards;
    private final GroupCoordinator groups;
    private final int localId;
    private final TxnMarkerWriter.Leaders leaders;
    private final TxnPeers peers;
    private final TxnConfig config;

    private TransactionCoordinator(LeaderShards<TxnShard> shards, GroupCoordinator groups, int localId,
                                   TxnMarkerWriter.Leaders leaders, TxnPeers peers, TxnConfig config) {
        this.shards = shards;
        this.groups = groups;
        this.localId = localId;
        this.leaders = leaders;
        this.peers = peers;
        this.config = config;
    }

    /** This broker now leads {@code partition} of __transaction_state: load its shard. */
    public Future<Void> elect(Partition partition) {
        return shards.elect(partition);
    }

    /** Another broker leads partition {@code p} now: stop serving its transactional ids here. */
    public Future<Void> resign(int p) {
        return shards.resign(p);
    }

    /** Loads the shards of the partitions this broker leads and unloads the others. */
    public Future<Void> syncLeadership(PartitionRegistry partitions) {
        return shards.sync(partitions);
    }

    /**
     * A coordinator that serves no transactional id until {@link #openTopic} has created or found
     * __transaction_state. Until then ids map to partitions by the topic's existing partition count, or else by
     * the configured one.
     */
    public static TransactionCoordinator create(Vertx vertx, int localId, TxnConfig config, TopicRegistry topics,
                                                PartitionRegistry partitions, BatchCodec codec,
                                                ProducerIdAllocator producerIds, GroupCoordinator groups,
                                                Clock clock) {
        Scheduler scheduler = new VertxScheduler(vertx, clock);
        TxnPeers peers = new TxnPeers(vertx);
        TxnMarkerWriter.Leaders leaders = tp -> leaderOf(topics, tp);
        TxnMarkerWriter markers = new TxnMarkerWriter(localId, partitions, groups, leaders, peers);
        Supplier<Future<Long>> ids = () -> ContextHop.compose(producerIds.owner(), producerIds::allocate);
        TransactionCoordinator coordinator = new TransactionCoordinator(new LeaderShards<>(STATE_TOPIC,
                "transaction coordinator",
                () -> topics.image().topic(STATE_TOPIC).map(TopicInfo::partitionCount).orElse(config.statePartitions()),
                LeaderShards.Lifecycle.of(
                        partition -> new TxnShard(partition.topicPartition().partition(), partition.owner(),
                                new PartitionShardLog(partition), codec, scheduler, config, ids, markers),
                        TxnShard::owner, TxnShard::load, TxnShard::unload)), groups, localId, leaders, peers, config);
        peers.serve(localId, new TxnPeers.Local() {
            @Override
            public Future<Void> writeMarker(TopicPartition tp, long producerId, short epoch, boolean commit,
                                            int coordinatorEpoch) {
                return markers.writeMarker(tp, producerId, epoch, commit, coordinatorEpoch);
            }

            @Override
            public Future<TxnError> verify(String transactionalId, long producerId, short epoch, TopicPartition tp) {
                return coordinator.verifyHere(transactionalId, producerId, epoch, tp);
            }
        });
        return coordinator;
    }

    /**
     * Creates __transaction_state if missing, then loads the shards of the partitions this broker leads. After
     * the group coordinator's topic: transactions recovered in a prepared state write markers into
     * __consumer_offsets.
     */
    public Future<Void> openTopic(TopicRegistry topics, PartitionRegistry partitions,
                                  Map<String, String> stateTopicConfigs) {
        return topics.ensure(STATE_TOPIC, config.statePartitions(), stateTopicConfigs).compose(info -> {
            shards.open(info.partitionCount());
            return syncLeadership(partitions);
        });
    }

    private static int leaderOf(TopicRegistry topics, TopicPartition tp) {
        return topics.image().topic(tp.topic())
                .filter(t -> tp.partition() >= 0 && tp.partition() < t.partitionCount())
                .map(t -> t.partition(tp.partition()).leader())
                .orElse(TxnMarkerWriter.Leaders.GONE);
    }

    /** The partition of __transaction_state (and so the shard) of a transactional id. */
    public int partitionFor(String transactionalId) {
        int hash = transactionalId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % shards.partitionCount();
    }

    public Future<InitResult> initProducerId(InitRequest request) {
        return onShardWrite(request.transactionalId(), s -> s.init(request), InitResult::error);
    }

    public Future<AddPartitionsResult> addPartitions(AddPartitionsRequest request) {
        return onShardWrite(request.transactionalId(), s -> Future.succeededFuture(s.addPartitions(request)),
                e -> new AddPartitionsResult(uniform(request.partitions(), e)));
    }

    /** AddOffsetsToTxn: the group's __consumer_offsets partition joins the transaction. */
    public Future<TxnError> addOffsets(String transactionalId, long producerId, short epoch, String groupId) {
        TopicPartition offsets = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, groups.partitionFor(groupId));
        return addPartitions(new AddPartitionsRequest(transactionalId, producerId, epoch, Set.of(offsets)))
                .map(r -> r.partitions().get(offsets));
    }

    /**
     * Whether a transactional produce to {@code tp} belongs to the producer's open transaction, answered by the
     * transactional id's coordinator: this broker, or the member leading its __transaction_state partition.
     */
    public Future<TxnError> verifyPartition(String transactionalId, long producerId, short epoch, TopicPartition tp) {
        if (transactionalId == null || transactionalId.isEmpty() || shards.get(partitionFor(transactionalId)) != null) {
            return verifyHere(transactionalId, producerId, epoch, tp);
        }
        int coordinator = leaders.leaderOf(new TopicPartition(STATE_TOPIC, partitionFor(transactionalId)));
        if (coordinator < 0 || coordinator == localId) {
            return Future.succeededFuture(TxnError.COORDINATOR_NOT_AVAILABLE);
        }
        return peers.verify(coordinator, transactionalId, producerId, epoch, tp)
                .recover(e -> Future.succeededFuture(TxnError.COORDINATOR_NOT_AVAILABLE));
    }

    private Future<TxnError> verifyHere(String transactionalId, long producerId, short epoch, TopicPartition tp) {
        return onShard(transactionalId, s -> Future.succeededFuture(s.verify(transactionalId, producerId, epoch, tp)),
                e -> e);
    }

    public Future<TxnError> endTransaction(EndRequest request) {
        return onShardWrite(request.transactionalId(), s -> s.end(request), e -> e);
    }

    public Future<TxnDescription> describe(String transactionalId) {
        return onShard(transactionalId, s -> Future.succeededFuture(s.describe(transactionalId)),
                e -> TxnDescription.error(transactionalId, e));
    }

    /** Every transactional id of every shard that passes {@code filter} (ListTransactions). */
    public Future<List<TxnDescription>> list(Predicate<TxnMetadata> filter) {
        List<Future<List<TxnDescription>>> parts = new ArrayList<>();
        for (TxnShard shard : shards.loaded()) {
            parts.add(ContextHop.call(shard.owner(), () -> {
                List<TxnDescription> found = new ArrayList<>();
                if (shard.isActive()) {
                    shard.all().stream().filter(filter).forEach(m -> found.add(TxnDescription.of(m)));
                }
                return found;
            }));
        }
        return Future.all(parts).map(all -> {
            List<TxnDescription> result = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                result.addAll(all.<List<TxnDescription>>resultAt(i));
            }
            return result;
        });
    }

    /** Stops serving (broker shutdown). Open transactions stay open and are timed out after the next start. */
    public Future<Void> unload() {
        List<Future<Void>> parts = new ArrayList<>();
        for (TxnShard shard : shards.loaded()) {
            parts.add(ContextHop.call(shard.owner(), () -> {
                shard.unload();
                return null;
            }));
        }
        return Future.join(parts).mapEmpty();
    }

    private static Map<TopicPartition, TxnError> uniform(Set<TopicPartition> partitions, TxnError error) {
        Map<TopicPartition, TxnError> result = new LinkedHashMap<>();
        partitions.forEach(tp -> result.put(tp, error));
        return result;
    }

    /**
     * {@link #onShard} for a request that writes the shard's log: answered once the write is on every in-sync
     * replica, so the coordinator that takes over after a failover knows what the client was told.
     */
    private <T> Future<T> onShardWrite(String transactionalId, Function<TxnShard, Future<T>> op,
                                       Function<TxnError, T> notServed) {
        return onShard(transactionalId, s -> op.apply(s).compose(result -> ContextHop.compose(s.owner(), s::replicated)
                .map(result)
                .otherwise(e -> notServed.apply(TxnError.NOT_COORDINATOR))), notServed);
    }

    private <T> Future<T> onShard(String transactionalId, Function<TxnShard, Future<T>> op,
                                  Function<TxnError, T> notServed) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return Future.succeededFuture(notServed.apply(TxnError.INVALID_REQUEST));
        }
        TxnShard shard = shards.get(partitionFor(transactionalId));
        if (shard == null) {
            return Future.succeededFuture(notServed.apply(TxnError.NOT_COORDINATOR));
        }
        Callable<Future<T>> work = () -> shard.isActive() ? op.apply(shard)
                : Future.succeededFuture(notServed.apply(TxnError.NOT_COORDINATOR));
        return ContextHop.compose(shard.owner(), work).recover(e -> {
            LOG.warn("Transaction request for {} failed", transactionalId, e);
            return Future.succeededFuture(notServed.apply(TxnError.COORDINATOR_NOT_AVAILABLE));
        });
    }
}
