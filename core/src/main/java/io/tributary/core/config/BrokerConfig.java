package io.tributary.core.config;

import static io.tributary.core.config.BrokerConfigDef.*;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The broker's configuration, parsed and validated once at start-up. Immutable. Keys follow Kafka
 * (see {@link BrokerConfigDef}); unknown keys and invalid values fail {@link #parse} with a message
 * naming the key.
 */
public final class BrokerConfig {

    private final Map<String, String> originals;
    private final Map<String, Object> values;
    private final List<Listener> listeners;
    private final List<Listener> advertisedListeners;
    private final List<Path> logDirs;
    private final int numNetworkThreads;

    private BrokerConfig(Map<String, String> originals, Supplier<String> localHost) {
        this.originals = Collections.unmodifiableMap(new LinkedHashMap<>(originals));
        this.values = DEFINITION.parse(originals);
        this.listeners = parseListeners();
        this.advertisedListeners = parseAdvertised(localHost);
        this.logDirs = parseLogDirs();
        Integer threads = (Integer) values.get(NUM_NETWORK_THREADS);
        this.numNetworkThreads = threads != null ? threads : defaultNetworkThreads(Runtime.getRuntime().availableProcessors());
        ListenerProtocols.validate(this);
    }

    /**
     * Half the processors, at least one. Every hop of a request between event loops wakes another thread; the
     * processors left over run what the loops hand off (fsync, the log cleaner), the JIT and the collector. Measured
     * on 2 processors, one loop instead of two used less CPU per GiB of Kafka produce and fetch at the same
     * throughput, and halved the MQTT publish-to-subscribe latency (bench/mqtt/README.md).
     */
    static int defaultNetworkThreads(int processors) {
        return Math.max(1, processors / 2);
    }

    /** Parses explicit properties; everything not given takes its default. */
    public static BrokerConfig parse(Map<String, String> props) {
        return new BrokerConfig(props, Listeners::canonicalLocalHost);
    }

    /** As {@link #parse}, with the host name that replaces wildcard hosts when advertising (for tests). */
    static BrokerConfig parse(Map<String, String> props, Supplier<String> localHost) {
        return new BrokerConfig(props, localHost);
    }

    public static BrokerConfig defaults() {
        return parse(Map.of());
    }

    private List<Listener> parseListeners() {
        List<Listener> parsed = Listeners.parse(LISTENERS, list(LISTENERS), raw(LISTENERS));
        if (parsed.isEmpty()) {
            throw new ConfigException(LISTENERS, raw(LISTENERS), "must name at least one listener, as NAME://host:port");
        }
        return parsed;
    }

    private List<Listener> parseAdvertised(Supplier<String> localHost) {
        // An empty advertised.listeners means "not set", as in Kafka.
        List<String> specs = list(ADVERTISED_LISTENERS);
        List<Listener> explicit = specs == null ? List.of()
                : Listeners.parse(ADVERTISED_LISTENERS, specs, raw(ADVERTISED_LISTENERS));
        return Listeners.advertised(listeners, explicit, raw(ADVERTISED_LISTENERS), localHost);
    }

    private List<Path> parseLogDirs() {
        String key = !isSet(LOG_DIRS) && isSet(LOG_DIR) ? LOG_DIR : LOG_DIRS;
        List<String> dirs = key.equals(LOG_DIR) ? List.of((String) values.get(LOG_DIR)) : list(LOG_DIRS);
        if (dirs.isEmpty()) {
            throw new ConfigException(key, raw(key), "must name at least one directory");
        }
        List<Path> paths = new ArrayList<>();
        for (String dir : dirs) {
            try {
                paths.add(Path.of(dir));
            } catch (InvalidPathException e) {
                throw new ConfigException(key, raw(key), "'" + dir + "' is not a valid path: " + e.getReason());
            }
        }
        return List.copyOf(paths);
    }

    // ---- identity and network

    public int nodeId() {
        return intValue(NODE_ID);
    }

    public List<Listener> listeners() {
        return listeners;
    }

    /** Where the MQTT gateway listens; empty when MQTT is disabled. */
    public List<Listener> mqttListeners() {
        return Listeners.parse(MqttConfigDef.MQTT_LISTENERS, list(MqttConfigDef.MQTT_LISTENERS),
                raw(MqttConfigDef.MQTT_LISTENERS));
    }

    /** Where the HTTP gateway listens; empty when HTTP is disabled. */
    public List<Listener> httpListeners() {
        return Listeners.parse(HttpConfigDef.HTTP_LISTENERS, list(HttpConfigDef.HTTP_LISTENERS),
                raw(HttpConfigDef.HTTP_LISTENERS));
    }

    /** Where the Kafka Connect REST API listens; empty when the connector runtime is disabled. */
    public List<Listener> connectListeners() {
        return Listeners.parse(ConnectConfigDef.CONNECT_LISTENERS, list(ConnectConfigDef.CONNECT_LISTENERS),
                raw(ConnectConfigDef.CONNECT_LISTENERS));
    }

    /**
     * Listeners as told to clients. A listener with port 0 keeps port 0 here: the broker substitutes
     * the port it actually bound.
     */
    public List<Listener> advertisedListeners() {
        return advertisedListeners;
    }

    /** Number of Vert.x event loops. */
    public int numNetworkThreads() {
        return numNetworkThreads;
    }

    public int socketRequestMaxBytes() {
        return intValue(SOCKET_REQUEST_MAX_BYTES);
    }

    /** The kernel buffer sizes of Kafka connections. */
    public io.tributary.core.network.SocketBuffers socketBuffers() {
        return new io.tributary.core.network.SocketBuffers(intValue(SOCKET_SEND_BUFFER_BYTES),
                intValue(SOCKET_RECEIVE_BUFFER_BYTES));
    }

    /** The configured cluster id, or null to use the stored or a generated one. */
    public String clusterIdOverride() {
        return (String) values.get(CLUSTER_ID);
    }

    // ---- storage

    /** log.dirs, else log.dir, else ./data. */
    public List<Path> logDirs() {
        return logDirs;
    }

    public long logRetentionCheckIntervalMs() {
        return longValue(LOG_RETENTION_CHECK_INTERVAL_MS);
    }

    /** log.retention.ms, else minutes, else hours; -1 (any negative) means unlimited. */
    public long logRetentionMs() {
        long ms;
        if (isSet(LOG_RETENTION_MS)) {
            ms = longValue(LOG_RETENTION_MS);
        } else if (isSet(LOG_RETENTION_MINUTES)) {
            ms = intValue(LOG_RETENTION_MINUTES) * 60_000L;
        } else {
            ms = intValue(LOG_RETENTION_HOURS) * 3_600_000L;
        }
        return ms < 0 ? -1 : ms;
    }

    /** -1 means unlimited. */
    public long logRetentionBytes() {
        return longValue(LOG_RETENTION_BYTES);
    }

    public int logSegmentBytes() {
        return intValue(LOG_SEGMENT_BYTES);
    }

    /** log.roll.ms, else log.roll.hours. */
    public long logRollMs() {
        return isSet(LOG_ROLL_MS) ? longValue(LOG_ROLL_MS) : intValue(LOG_ROLL_HOURS) * 3_600_000L;
    }

    public int logIndexIntervalBytes() {
        return intValue(LOG_INDEX_INTERVAL_BYTES);
    }

    public int messageMaxBytes() {
        return intValue(MESSAGE_MAX_BYTES);
    }

    /** CreateTime or LogAppendTime. */
    public String logMessageTimestampType() {
        return (String) value(LOG_MESSAGE_TIMESTAMP_TYPE);
    }

    /** A non-empty list of delete and/or compact. */
    public List<String> logCleanupPolicy() {
        return list(LOG_CLEANUP_POLICY);
    }

    public long logFlushIntervalMessages() {
        return longValue(LOG_FLUSH_INTERVAL_MESSAGES);
    }

    public long logFlushIntervalMs() {
        return longValue(LOG_FLUSH_INTERVAL_MS);
    }

    public long logCleanerDeleteRetentionMs() {
        return longValue(LOG_CLEANER_DELETE_RETENTION_MS);
    }

    public long logCleanerMinCompactionLagMs() {
        return longValue(LOG_CLEANER_MIN_COMPACTION_LAG_MS);
    }

    public long logCleanerMaxCompactionLagMs() {
        return longValue(LOG_CLEANER_MAX_COMPACTION_LAG_MS);
    }

    public double logCleanerMinCleanableRatio() {
        return (Double) value(LOG_CLEANER_MIN_CLEANABLE_RATIO);
    }

    public boolean logCleanerEnable() {
        return (Boolean) value(LOG_CLEANER_ENABLE);
    }

    public int logCleanerThreads() {
        return intValue(LOG_CLEANER_THREADS);
    }

    public double logCleanerIoMaxBytesPerSecond() {
        return (Double) value(LOG_CLEANER_IO_MAX_BYTES_PER_SECOND);
    }

    public long logCleanerDedupeBufferSize() {
        return longValue(LOG_CLEANER_DEDUPE_BUFFER_SIZE);
    }

    public int logCleanerIoBufferSize() {
        return intValue(LOG_CLEANER_IO_BUFFER_SIZE);
    }

    public long logCleanerBackoffMs() {
        return longValue(LOG_CLEANER_BACKOFF_MS);
    }

    public int minInsyncReplicas() {
        return intValue(MIN_INSYNC_REPLICAS);
    }

    /** uncompressed, zstd, lz4, snappy, gzip or producer. */
    public String compressionType() {
        return (String) value(COMPRESSION_TYPE);
    }

    public boolean uncleanLeaderElectionEnable() {
        return (Boolean) value(UNCLEAN_LEADER_ELECTION_ENABLE);
    }

    // ---- topics and groups

    public int numPartitions() {
        return intValue(NUM_PARTITIONS);
    }

    public short defaultReplicationFactor() {
        return (Short) value(DEFAULT_REPLICATION_FACTOR);
    }

    public boolean autoCreateTopicsEnable() {
        return (Boolean) value(AUTO_CREATE_TOPICS_ENABLE);
    }

    public long groupInitialRebalanceDelayMs() {
        return intValue(GROUP_INITIAL_REBALANCE_DELAY_MS);
    }

    public int offsetsTopicNumPartitions() {
        return intValue(OFFSETS_TOPIC_NUM_PARTITIONS);
    }

    // ---- generic access

    /** The properties as given, before defaults. */
    public Map<String, String> originals() {
        return originals;
    }

    /** True when the key was given explicitly (not left to its default). */
    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /** The parsed value of a key, or its default (null for optional keys without one). */
    public Object value(String key) {
        return DEFINITION.valueOrDefault(values, key);
    }

    private int intValue(String key) {
        return ((Number) value(key)).intValue();
    }

    private long longValue(String key) {
        return ((Number) value(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String key) {
        return (List<String>) value(key);
    }

    private String raw(String key) {
        return originals.containsKey(key) ? originals.get(key) : DEFINITION.key(key).defaultString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerConfig other && originals.equals(other.originals);
    }

    @Override
    public int hashCode() {
        return originals.hashCode();
    }

    @Override
    public String toString() {
        return "BrokerConfig" + originals;
    }
}
