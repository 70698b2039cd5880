package io.tributary.core.group;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.BrokerConfigDef;

import java.util.List;

/**
 * The group coordinator's settings, read once from the broker config (Kafka's key names).
 *
 * @param offsetsPartitions            partitions of __consumer_offsets, one coordinator shard each
 * @param minSessionTimeoutMs          smallest session timeout a classic member may ask for
 * @param maxSessionTimeoutMs          largest session timeout a classic member may ask for
 * @param initialRebalanceDelayMs      how long a new classic group waits for more members
 * @param maxGroupSize                 most members in one group
 * @param offsetMetadataMaxBytes       longest metadata string stored with a committed offset
 * @param consumerSessionTimeoutMs     session timeout of KIP-848 members (the broker decides it)
 * @param consumerHeartbeatIntervalMs  heartbeat interval told to KIP-848 members
 * @param consumerAssignors            server-side assignors for KIP-848 groups; the first is the default
 * @param offsetsRetentionMs           how long offsets a group no longer needs are kept (offsets.retention.minutes)
 * @param offsetsRetentionCheckIntervalMs how often each shard looks for expired offsets
 */
public record GroupConfig(int offsetsPartitions, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                          long initialRebalanceDelayMs, int maxGroupSize, int offsetMetadataMaxBytes,
                          int consumerSessionTimeoutMs, int consumerHeartbeatIntervalMs,
                          List<String> consumerAssignors, long offsetsRetentionMs,
                          long offsetsRetentionCheckIntervalMs) {

    public GroupConfig {
        consumerAssignors = List.copyOf(consumerAssignors);
    }

    @SuppressWarnings("unchecked")
    public static GroupConfig from(BrokerConfig config) {
        return new GroupConfig(
                config.offsetsTopicNumPartitions(),
                intValue(config, BrokerConfigDef.GROUP_MIN_SESSION_TIMEOUT_MS),
                intValue(config, BrokerConfigDef.GROUP_MAX_SESSION_TIMEOUT_MS),
                config.groupInitialRebalanceDelayMs(),
                intValue(config, BrokerConfigDef.GROUP_MAX_SIZE),
                intValue(config, BrokerConfigDef.OFFSET_METADATA_MAX_BYTES),
                intValue(config, BrokerConfigDef.GROUP_CONSUMER_SESSION_TIMEOUT_MS),
                intValue(config, BrokerConfigDef.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS),
                (List<String>) config.value(BrokerConfigDef.GROUP_CONSUMER_ASSIGNORS),
                intValue(config, BrokerConfigDef.OFFSETS_RETENTION_MINUTES) * 60_000L,
                ((Number) config.value(BrokerConfigDef.OFFSETS_RETENTION_CHECK_INTERVAL_MS)).longValue());
    }

    public String defaultAssignor() {
        return consumerAssignors.get(0);
    }

    private static int intValue(BrokerConfig config, String key) {
        return ((Number) config.value(key)).intValue();
    }
}
