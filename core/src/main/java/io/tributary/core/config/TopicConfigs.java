package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Importance.LOW;
import static io.tributary.core.config.ConfigDef.Importance.MEDIUM;
import static io.tributary.core.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.core.config.ConfigDef.Type.DOUBLE;
import static io.tributary.core.config.ConfigDef.Type.INT;
import static io.tributary.core.config.ConfigDef.Type.LIST;
import static io.tributary.core.config.ConfigDef.Type.LONG;
import static io.tributary.core.config.ConfigDef.Type.STRING;
import static io.tributary.core.config.Validator.atLeast;
import static io.tributary.core.config.Validator.between;
import static io.tributary.core.config.Validator.listOf;
import static io.tributary.core.config.Validator.oneOf;

import io.tributary.storage.CleanupConfig;
import io.tributary.storage.LogConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Topic-level configs with Kafka's names. Each one defaults to a broker-level key (for example
 * retention.ms to log.retention.ms), so the effective value of a topic config is its override if the
 * topic has one, else the broker's value.
 */
public final class TopicConfigs {

    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    public static final String CLEANUP_POLICY_DELETE = "delete";
    public static final String CLEANUP_POLICY_COMPACT = "compact";
    public static final String LOG_APPEND_TIME = "LogAppendTime";

    /** How a topic key falls back to the broker: the broker keys that set it and its broker value. */
    private record Fallback(List<String> brokerKeys, Function<BrokerConfig, Object> brokerValue) {
    }

    private static final Map<String, Fallback> FALLBACKS = new LinkedHashMap<>();

    public static final ConfigDef DEFINITION = new ConfigDef();

    static {
        define(RETENTION_MS, LONG, BrokerConfigDef.DEFAULT_RETENTION_MS, atLeast(-1), HIGH,
                "How long a segment is kept before it is deleted; -1 keeps it forever.",
                List.of(BrokerConfigDef.LOG_RETENTION_MS, BrokerConfigDef.LOG_RETENTION_MINUTES,
                        BrokerConfigDef.LOG_RETENTION_HOURS), BrokerConfig::logRetentionMs);
        define(RETENTION_BYTES, LONG, -1L, atLeast(-1), HIGH,
                "Largest size of a partition before its oldest segments are deleted; -1 means no limit.",
                List.of(BrokerConfigDef.LOG_RETENTION_BYTES), BrokerConfig::logRetentionBytes);
        define(SEGMENT_BYTES, INT, BrokerConfigDef.DEFAULT_SEGMENT_BYTES, atLeast(BrokerConfigDef.MIN_SEGMENT_BYTES),
                MEDIUM, "Size at which a segment is rolled.",
                List.of(BrokerConfigDef.LOG_SEGMENT_BYTES), BrokerConfig::logSegmentBytes);
        define(SEGMENT_MS, LONG, BrokerConfigDef.DEFAULT_ROLL_MS, atLeast(1), MEDIUM,
                "Age of its first record at which a segment is rolled.",
                List.of(BrokerConfigDef.LOG_ROLL_MS, BrokerConfigDef.LOG_ROLL_HOURS), BrokerConfig::logRollMs);
        define(INDEX_INTERVAL_BYTES, INT, 4096, atLeast(0), MEDIUM,
                "Bytes of log between two offset index entries.",
                List.of(BrokerConfigDef.LOG_INDEX_INTERVAL_BYTES), BrokerConfig::logIndexIntervalBytes);
        define(MAX_MESSAGE_BYTES, INT, BrokerConfigDef.DEFAULT_MESSAGE_MAX_BYTES, atLeast(0), MEDIUM,
                "Largest record batch accepted.",
                List.of(BrokerConfigDef.MESSAGE_MAX_BYTES), BrokerConfig::messageMaxBytes);
        define(MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime",
                oneOf(BrokerConfigDef.TIMESTAMP_TYPES.toArray(String[]::new)), MEDIUM,
                "CreateTime keeps the producer's timestamp; LogAppendTime stamps batches on append.",
                List.of(BrokerConfigDef.LOG_MESSAGE_TIMESTAMP_TYPE), BrokerConfig::logMessageTimestampType);
        define(CLEANUP_POLICY, LIST, List.of(CLEANUP_POLICY_DELETE),
                listOf(BrokerConfigDef.CLEANUP_POLICIES.toArray(String[]::new)), MEDIUM,
                "delete removes old segments; compact keeps the latest record per key; both may be given.",
                List.of(BrokerConfigDef.LOG_CLEANUP_POLICY), BrokerConfig::logCleanupPolicy);
        define(FLUSH_MESSAGES, LONG, Long.MAX_VALUE, atLeast(1), MEDIUM,
                "fsync after this many records; the default leaves flushing to the OS.",
                List.of(BrokerConfigDef.LOG_FLUSH_INTERVAL_MESSAGES), BrokerConfig::logFlushIntervalMessages);
        define(FLUSH_MS, LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                "fsync when unflushed data is this old; the default leaves flushing to the OS.",
                List.of(BrokerConfigDef.LOG_FLUSH_INTERVAL_MS), BrokerConfig::logFlushIntervalMs);
        define(DELETE_RETENTION_MS, LONG, 86400000L, atLeast(0), MEDIUM,
                "How long tombstones are kept in a compacted topic.",
                List.of(BrokerConfigDef.LOG_CLEANER_DELETE_RETENTION_MS), BrokerConfig::logCleanerDeleteRetentionMs);
        define(MIN_INSYNC_REPLICAS, INT, 1, atLeast(1), MEDIUM,
                "Replicas that must have a record before an acks=all produce succeeds.",
                List.of(BrokerConfigDef.MIN_INSYNC_REPLICAS), BrokerConfig::minInsyncReplicas);
        define(COMPRESSION_TYPE, STRING, "producer",
                oneOf(BrokerConfigDef.COMPRESSION_TYPES.toArray(String[]::new)), MEDIUM,
                "Codec of stored batches; producer keeps the producer's codec.",
                List.of(BrokerConfigDef.COMPRESSION_TYPE), BrokerConfig::compressionType);
        define(MIN_COMPACTION_LAG_MS, LONG, 0L, atLeast(0), MEDIUM,
                "A record stays uncompacted at least this long.",
                List.of(BrokerConfigDef.LOG_CLEANER_MIN_COMPACTION_LAG_MS), BrokerConfig::logCleanerMinCompactionLagMs);
        define(MAX_COMPACTION_LAG_MS, LONG, Long.MAX_VALUE, atLeast(1), MEDIUM,
                "A record becomes eligible for compaction at most this late.",
                List.of(BrokerConfigDef.LOG_CLEANER_MAX_COMPACTION_LAG_MS), BrokerConfig::logCleanerMaxCompactionLagMs);
        define(MIN_CLEANABLE_DIRTY_RATIO, DOUBLE, 0.5d, between(0, 1), MEDIUM,
                "Share of a log not yet compacted that makes it eligible for compaction.",
                List.of(BrokerConfigDef.LOG_CLEANER_MIN_CLEANABLE_RATIO), BrokerConfig::logCleanerMinCleanableRatio);
        define(UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, false, null, LOW,
                "Elect a replica outside the ISR as leader as a last resort, at the risk of losing records.",
                List.of(BrokerConfigDef.UNCLEAN_LEADER_ELECTION_ENABLE), BrokerConfig::uncleanLeaderElectionEnable);
    }

    private static void define(String name, ConfigDef.Type type, Object defaultValue, Validator validator,
                               ConfigDef.Importance importance, String doc, List<String> brokerKeys,
                               Function<BrokerConfig, Object> brokerValue) {
        DEFINITION.define(name, type, defaultValue, validator, importance, doc);
        FALLBACKS.put(name, new Fallback(brokerKeys, brokerValue));
    }

    private TopicConfigs() {
    }

    /**
     * Checks topic overrides (CreateTopics, AlterConfigs). Throws ConfigException naming the first
     * unknown key or invalid value.
     */
    public static void validate(Map<String, String> overrides) {
        parse(overrides);
    }

    /** Every topic config with its effective value and source, in definition order. */
    public static Map<String, TopicConfigValue> describe(Map<String, String> overrides, BrokerConfig broker) {
        Map<String, Object> parsed = parse(overrides);
        Map<String, TopicConfigValue> described = new LinkedHashMap<>();
        for (ConfigKey key : DEFINITION.keys()) {
            Fallback fallback = FALLBACKS.get(key.name());
            TopicConfigValue.Source source;
            Object value;
            if (parsed.containsKey(key.name())) {
                source = TopicConfigValue.Source.TOPIC_OVERRIDE;
                value = parsed.get(key.name());
            } else {
                source = fallback.brokerKeys().stream().anyMatch(broker::isSet)
                        ? TopicConfigValue.Source.BROKER_DEFAULT : TopicConfigValue.Source.DEFAULT;
                value = fallback.brokerValue().apply(broker);
            }
            described.put(key.name(), new TopicConfigValue(key.name(), ConfigDef.Type.format(value), source,
                    false, false, key.documentation(), key.type().name()));
        }
        return described;
    }

    /** The effective value of every topic config: the override if any, else the broker's value. */
    public static Map<String, Object> effective(Map<String, String> overrides, BrokerConfig broker) {
        Map<String, Object> parsed = parse(overrides);
        Map<String, Object> effective = new LinkedHashMap<>();
        FALLBACKS.forEach((name, fallback) ->
                effective.put(name, parsed.containsKey(name) ? parsed.get(name) : fallback.brokerValue().apply(broker)));
        return effective;
    }

    /** The settings the partition log needs, from the topic's overrides and the broker's defaults. */
    public static LogConfig toLogConfig(Map<String, String> overrides, BrokerConfig broker) {
        Map<String, Object> v = effective(overrides, broker);
        List<?> policy = (List<?>) v.get(CLEANUP_POLICY);
        CleanupConfig cleanup = new CleanupConfig(
                policy.contains(CLEANUP_POLICY_DELETE),
                policy.contains(CLEANUP_POLICY_COMPACT),
                (Long) v.get(RETENTION_MS),      // -1: kept forever
                (Long) v.get(RETENTION_BYTES),   // -1: no size limit
                (Long) v.get(DELETE_RETENTION_MS),
                (Long) v.get(MIN_COMPACTION_LAG_MS),
                (Long) v.get(MAX_COMPACTION_LAG_MS),
                (Double) v.get(MIN_CLEANABLE_DIRTY_RATIO));
        return new LogConfig(
                (Integer) v.get(SEGMENT_BYTES),
                (Long) v.get(SEGMENT_MS),
                (Integer) v.get(INDEX_INTERVAL_BYTES),
                (Integer) v.get(MAX_MESSAGE_BYTES),
                LOG_APPEND_TIME.equals(v.get(MESSAGE_TIMESTAMP_TYPE)),
                (Long) v.get(FLUSH_MESSAGES),
                (Long) v.get(FLUSH_MS),
                cleanup);
    }

    private static Map<String, Object> parse(Map<String, String> overrides) {
        Map<String, Object> parsed = DEFINITION.parse(overrides);
        // As Kafka does: a minimum compaction lag above the maximum can never be satisfied.
        Object min = parsed.get(MIN_COMPACTION_LAG_MS);
        Object max = parsed.get(MAX_COMPACTION_LAG_MS);
        if (min != null && max != null && (Long) min > (Long) max) {
            throw new ConfigException(MIN_COMPACTION_LAG_MS, overrides.get(MIN_COMPACTION_LAG_MS),
                    "must not be greater than " + MAX_COMPACTION_LAG_MS + " (" + max + ")");
        }
        return parsed;
    }
}
