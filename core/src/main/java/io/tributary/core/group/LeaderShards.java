package io.tributary.core.group;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Coordinator shards that live where the leader of their internal partition is: one slot per partition, filled
 * when this broker becomes the leader (the shard is built and loaded from the partition's log) and emptied when it
 * stops leading (the shard is unloaded). Slots are read lock-free from any event loop.
 *
 * <p>The slots exist once the internal topic does ({@link #open}): a broker binds its listeners before it creates
 * or loads its internal topics, as Kafka does, and until then serves no shard and elects none.
 *
 * @param <S> the shard type (group or transaction coordinator shard)
 */
public final class LeaderShards<S> {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderShards.class);

    /** How shards of one kind are built, loaded and unloaded, each on its own context. */
    public interface Lifecycle<S> {
        S create(Partition partition);

        Context owner(S shard);

        /** Loads the shard from its partition's log; runs on the shard's context. */
        Future<Void> load(S shard);

        /** Stops serving; runs on the shard's context. */
        void unload(S shard);

        static <S> Lifecycle<S> of(Function<Partition, S> create, Function<S, Context> owner,
                                   Function<S, Future<Void>> load, Consumer<S> unload) {
            return new Lifecycle<>() {
                @Override
                public S create(Partition partition) {
                    return create.apply(partition);
                }

                @Override
                public Context owner(S shard) {
                    return owner.apply(shard);
                }

                @Override
                public Future<Void> load(S shard) {
                    return load.apply(shard);
                }

                @Override
                public void unload(S shard) {
                    unload.accept(shard);
                }
            };
        }
    }

    private final String topic;
    private final String kind;
    /** The partition count before the topic is open: the existing topic's, else the one it will be created with. */
    private final IntSupplier expectedPartitions;
    private final Lifecycle<S> lifecycle;
    /** One slot per partition of the topic; null until {@link #open}. */
    private volatile AtomicReferenceArray<S> slots;

    /**
     * @param expectedPartitions the partition count until {@link #open}; keys map to partitions with it, so it
     *                           must be the topic's count if the topic exists, else the count it is created with
     */
    public LeaderShards(String topic, String kind, IntSupplier expectedPartitions, Lifecycle<S> lifecycle) {
        this.topic = topic;
        this.kind = kind;
        this.expectedPartitions = expectedPartitions;
        this.lifecycle = lifecycle;
    }

    /** The topic exists, with {@code partitionCount} partitions: from now on shards are elected. Once only. */
    public void open(int partitionCount) {
        if (slots != null) {
            throw new IllegalStateException("The " + kind + " shards of " + topic + " are open already");
        }
        slots = new AtomicReferenceArray<>(partitionCount);
    }

    public int partitionCount() {
        AtomicReferenceArray<S> current = slots;
        return current != null ? current.length() : expectedPartitions.getAsInt();
    }

    /** The shard of partition {@code p} if this broker leads it, else null. */
    public S get(int p) {
        AtomicReferenceArray<S> current = slots;
        return current != null && p >= 0 && p < current.length() ? current.get(p) : null;
    }

    /** The shards loaded here, at this moment. */
    public List<S> loaded() {
        AtomicReferenceArray<S> current = slots;
        List<S> loaded = new ArrayList<>();
        for (int p = 0; current != null && p < current.length(); p++) {
            S shard = current.get(p);
            if (shard != null) {
                loaded.add(shard);
            }
        }
        return loaded;
    }

    /** This broker now leads {@code partition}: build and load its shard (before {@link #open}: nothing to do). */
    public Future<Void> elect(Partition partition) {
        AtomicReferenceArray<S> current = slots;
        int p = partition.topicPartition().partition();
        if (current == null || p >= current.length() || current.get(p) != null) {
            return Future.succeededFuture();
        }
        S shard = lifecycle.create(partition);
        if (!current.compareAndSet(p, null, shard)) {
            return Future.succeededFuture();
        }
        LOG.info("Loading the {} shard of {}", kind, partition.topicPartition());
        return ContextHop.compose(lifecycle.owner(shard), () -> lifecycle.load(shard));
    }

    /** Another broker leads partition {@code p} now: stop serving it here. */
    public Future<Void> resign(int p) {
        AtomicReferenceArray<S> current = slots;
        S shard = current != null && p >= 0 && p < current.length() ? current.getAndSet(p, null) : null;
        if (shard == null) {
            return Future.succeededFuture();
        }
        LOG.info("Unloading the {} shard of {}-{}", kind, topic, p);
        return ContextHop.call(lifecycle.owner(shard), () -> {
            lifecycle.unload(shard);
            return null;
        });
    }

    /** Loads the shards of the partitions this broker leads and unloads the others. */
    public Future<Void> sync(PartitionRegistry partitions) {
        AtomicReferenceArray<S> current = slots;
        List<Future<Void>> changes = new ArrayList<>();
        for (int p = 0; current != null && p < current.length(); p++) {
            Partition partition = partitions.get(new TopicPartition(topic, p));
            int index = p;
            changes.add(partition == null ? resign(p) : ContextHop.compose(partition.owner(),
                    () -> partition.isLeader() ? elect(partition) : resign(index)));
        }
        return Future.all(changes).mapEmpty();
    }
}
