package io.tributary.core.group;

import io.tributary.core.protocol.CoordinatorRecordBatches;
import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A coordinator shard on a manual clock and an in-memory log, with topics a test defines. */
final class ShardFixture implements TopicLookup {

    /** Offsets retention of one day, checked every minute. */
    static final long RETENTION_MS = 86_400_000;
    static final long RETENTION_CHECK_MS = 60_000;
    static final GroupConfig CONFIG = new GroupConfig(1, 6_000, 300_000, 0, 1000, 100, 6_000, 500,
            List.of("uniform", "range"), RETENTION_MS, RETENTION_CHECK_MS);

    final ManualScheduler scheduler = new ManualScheduler();
    final MemoryShardLog log = new MemoryShardLog();
    final Map<String, TopicMetadata> topics = new HashMap<>();
    final GroupConfig config;
    CoordinatorShard shard;

    ShardFixture() {
        this(CONFIG);
    }

    ShardFixture(GroupConfig config) {
        this.config = config;
        this.shard = newShard();
        shard.install(new ShardLoader());
    }

    private CoordinatorShard newShard() {
        return new CoordinatorShard(0, null, log, new CoordinatorRecordBatches(), scheduler, config, this,
                metadata -> Set.of(new String(metadata, java.nio.charset.StandardCharsets.UTF_8).split(",")));
    }

    /** A new shard rebuilt from this one's log, as after a broker restart. */
    CoordinatorShard restart() {
        shard.unload(GroupError.NOT_COORDINATOR);
        shard = newShard();
        shard.install(shard.replay());
        return shard;
    }

    Uuid topic(String name, int partitions) {
        TopicMetadata existing = topics.get(name);
        Uuid id = existing == null ? Uuid.randomUuid() : existing.id();
        topics.put(name, new TopicMetadata(name, id, partitions));
        return id;
    }

    @Override
    public TopicMetadata byName(String name) {
        return topics.get(name);
    }

    @Override
    public TopicMetadata byId(Uuid id) {
        return topics.values().stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
    }

    @Override
    public Collection<String> names() {
        return new ArrayList<>(topics.keySet());
    }
}
