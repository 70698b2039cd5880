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

/**
 * Coordinator shards that live where the leader of their internal partition is: one slot per partition, filled
 * when this broker becomes the leader (the shard is built and loaded from the partition's log) and emptied when it
 * stops leading (the shard is unloaded). Slots are read lock-free from any event loop.
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
    }

    private final String topic;
    private final String kind;
    private final AtomicReferenceArray<S> slots;
    private final Lifecycle<S> lifecycle;

    public LeaderShards(String topic, String kind, int partitionCount, Lifecycle<S> lifecycle) {
        this.topic = topic;
        this.kind = kind;
        this.slots = new AtomicReferenceArray<>(partitionCount);
        this.lifecycle = lifecycle;
    }

    public int partitionCount() {
        return slots.length();
    }

    /** The shard of partition {@code p} if this broker leads it, else null. */
    public S get(int p) {
        return p >= 0 && p < slots.length() ? slots.get(p) : null;
    }

    /** The shards loaded here, at this moment. */
    public List<S> loaded() {
        List<S> loaded = new ArrayList<>();
        for (int p = 0; p < slots.length(); p++) {
            S shard = slots.get(p);
            if (shard != null) {
                loaded.add(shard);
            }
        }
        return loaded;
    }

    /** This broker now leads {@code partition}: build and load its shard. */
    public Future<Void> elect(Partition partition) {
        int p = partition.topicPartition().partition();
        if (p >= slots.length() || slots.get(p) != null) {
            return Future.succeededFuture();
        }
        S shard = lifecycle.create(partition);
        if (!slots.compareAndSet(p, null, shard)) {
            return Future.succeededFuture();
        }
        LOG.info("Loading the {} shard of {}", kind, partition.topicPartition());
        return ContextHop.compose(lifecycle.owner(shard), () -> lifecycle.load(shard));
    }

    /** Another broker leads partition {@code p} now: stop serving it here. */
    public Future<Void> resign(int p) {
        S shard = p >= 0 && p < slots.length() ? slots.getAndSet(p, null) : null;
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
        List<Future<Void>> changes = new ArrayList<>();
        for (int p = 0; p < slots.length(); p++) {
            Partition partition = partitions.get(new TopicPartition(topic, p));
            int index = p;
            changes.add(partition == null ? resign(p) : ContextHop.compose(partition.owner(),
                    () -> partition.isLeader() ? elect(partition) : resign(index)));
        }
        return Future.all(changes).mapEmpty();
    }
}
