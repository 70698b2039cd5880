package io.tributary.core.group;

import io.vertx.core.Context;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * The group coordinator for the groups of one __consumer_offsets partition. It runs on that
 * partition's owner context, so its writes to the partition need no hop and its state no locks. At
 * start-up its state is rebuilt by replaying the partition.
 */
final class CoordinatorShard {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorShard.class);

    private final int partition;
    private final Context owner;
    private final ShardLog log;
    private final BatchCodec codec;
    final ShardState state = new ShardState();
    final ClassicGroupCoordinator classic;
    final ConsumerGroupCoordinator consumer;
    final OffsetManager offsets;
    final TransactionalOffsetManager txnOffsets;
    final GroupAdmin admin;
    final OffsetExpiry expiry;
    private boolean active;

    CoordinatorShard(int partition, Context owner, ShardLog log, BatchCodec codec, Scheduler scheduler,
                     GroupConfig config, TopicLookup topics, SubscriptionParser parser) {
        this.partition = partition;
        this.owner = owner;
        this.log = log;
        this.codec = codec;
        String name = GroupCoordinator.OFFSETS_TOPIC + "-" + partition;
        ShardWriter writer = new ShardWriter(log, codec, scheduler, name);
        SubscribedTopics subscriptions = new SubscribedTopics(parser, topics);
        this.classic = new ClassicGroupCoordinator(state, writer, scheduler, config);
        this.consumer = new ConsumerGroupCoordinator(state, writer, scheduler, config, topics, subscriptions);
        this.offsets = new OffsetManager(state, writer, config, subscriptions);
        this.admin = new GroupAdmin(state, writer, subscriptions);
        this.txnOffsets = new TransactionalOffsetManager(state, writer, config);
        this.expiry = new OffsetExpiry(name, state, writer, scheduler, config, subscriptions, admin);
    }

    int partition() {
        return partition;
    }

    Context owner() {
        return owner;
    }

    /** Completes once this shard's writes so far are on every in-sync replica. Owner context only. */
    Future<Void> replicated() {
        return log.replicated();
    }

    /** True once loaded and until unloaded. Owner context only. */
    boolean isActive() {
        return active;
    }

    /** Replays the log on a worker thread, then installs the state on the owner context. */
    Future<Void> load() {
        return owner.<ShardLoader>executeBlocking(this::replay, true).map(loaded -> {
            install(loaded);
            return null;
        });
    }

    /** Reads every record of the partition. Blocking; the shard is not serving yet. */
    ShardLoader replay() {
        ShardLoader loader = new ShardLoader();
        for (ByteBuffer batch : log.batches()) {
            codec.decode(batch, loader);
        }
        return loader;
    }

    /** Makes replayed state live: groups, offsets, and the session timers of restored members. Owner only. */
    void install(ShardLoader loaded) {
        loaded.offsets.forEach((groupId, offsets) -> offsets.forEach((tp, o) -> state.offsets.put(groupId, tp, o)));
        // Transactions still undecided at the last stop: their coordinator completes or aborts them.
        state.pendingTxnOffsets.putAll(loaded.pendingTxnOffsets);
        for (Group g : loaded.groups.values()) {
            state.put(g);
        }
        for (String groupId : loaded.offsets.keySet()) {
            if (state.group(groupId) == null) {
                // Offsets without group metadata belong to a group that only ever committed.
                state.put(new ClassicGroup(groupId));
            }
        }
        for (Group g : state.groups()) {
            if (g instanceof ClassicGroup c) {
                classic.onLoaded(c);
            } else if (g instanceof ConsumerGroup c) {
                consumer.onLoaded(c);
            }
        }
        active = true;
        expiry.start();
        if (loaded.records > 0) {
            LOG.info("Loaded {} groups from {} records of {}-{}", state.groups().size(), loaded.records,
                    GroupCoordinator.OFFSETS_TOPIC, partition);
        }
    }

    /** Stops serving: parked requests get {@code error}, timers become no-ops. Owner only. */
    void unload(GroupError error) {
        active = false;
        expiry.stop();
        for (Group g : state.groups()) {
            g.shutdown(error);
        }
        state.clear();
    }
}
