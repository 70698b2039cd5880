package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Importance.LOW;
import static io.tributary.core.config.ConfigDef.Importance.MEDIUM;
import static io.tributary.core.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.core.config.ConfigDef.Type.DOUBLE;
import static io.tributary.core.config.ConfigDef.Type.INT;
import static io.tributary.core.config.ConfigDef.Type.LIST;
import static io.tributary.core.config.ConfigDef.Type.LONG;
import static io.tributary.core.config.ConfigDef.Type.SHORT;
import static io.tributary.core.config.ConfigDef.Type.STRING;
import static io.tributary.core.config.Validator.atLeast;
import static io.tributary.core.config.Validator.between;
import static io.tributary.core.config.Validator.listOf;
import static io.tributary.core.config.Validator.nonEmpty;
import static io.tributary.core.config.Validator.oneOf;

import java.util.List;

/** The broker's config keys (Kafka's names where Kafka has one) and their definitions. */
public final class BrokerConfigDef {

    public static final String NODE_ID = "node.id";
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String CLUSTER_ID = "cluster.id";

    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_CLEANER_DELETE_RETENTION_MS = "log.cleaner.delete.retention.ms";
    public static final String LOG_CLEANER_MIN_COMPACTION_LAG_MS = "log.cleaner.min.compaction.lag.ms";
    public static final String LOG_CLEANER_MAX_COMPACTION_LAG_MS = "log.cleaner.max.compaction.lag.ms";
    public static final String LOG_CLEANER_MIN_CLEANABLE_RATIO = "log.cleaner.min.cleanable.ratio";
    public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
    public static final String LOG_CLEANER_THREADS = "log.cleaner.threads";
    public static final String LOG_CLEANER_IO_MAX_BYTES_PER_SECOND = "log.cleaner.io.max.bytes.per.second";
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String LOG_CLEANER_IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";

    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String METRICS_CONSUMER_LAG_INTERVAL_MS = "metrics.consumer.lag.interval.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";

    public static final String TRANSACTION_STATE_LOG_NUM_PARTITIONS = "transaction.state.log.num.partitions";
    public static final String TRANSACTION_STATE_LOG_SEGMENT_BYTES = "transaction.state.log.segment.bytes";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";

    /** Values shared with the topic-level definitions, which default to these. */
    static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    static final long DEFAULT_ROLL_MS = 7L * 24 * 60 * 60 * 1000;
    static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    static final int DEFAULT_MESSAGE_MAX_BYTES = 1024 * 1024 + 12;
    static final List<String> TIMESTAMP_TYPES = List.of("CreateTime", "LogAppendTime");
    static final List<String> CLEANUP_POLICIES = List.of("delete", "compact");
    static final List<String> COMPRESSION_TYPES = List.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer");
    /** Smallest segment that holds one record (Kafka's LegacyRecord.RECORD_OVERHEAD_V0). */
    static final int MIN_SEGMENT_BYTES = 14;

    public static final ConfigDef DEFINITION = SecurityConfigDef.addTo(ClusterConfigDef.addTo(ConnectConfigDef.addTo(HttpConfigDef.addTo(
            MqttConfigDef.addTo(new ConfigDef()
            // Identity and network
            .define(NODE_ID, INT, 0, atLeast(0), HIGH,
                    "The id of this broker, unique in the cluster.")
            .define(LISTENERS, LIST, List.of("PLAINTEXT://127.0.0.1:9092"), null, HIGH,
                    "Comma-separated NAME://host:port the Kafka protocol listens on. An empty host or 0.0.0.0"
                            + " binds every interface; port 0 picks a free port. Only PLAINTEXT for now.")
            .define(ADVERTISED_LISTENERS, LIST, null, null, HIGH,
                    "NAME://host:port given to clients in metadata. Default: listeners, with a wildcard host"
                            + " replaced by this machine's canonical host name.")
            .define(NUM_NETWORK_THREADS, INT, null, atLeast(1), MEDIUM,
                    "Number of Vert.x event loops serving connections and partitions."
                            + " Default: half the available processors, at least one.")
            .define(SOCKET_REQUEST_MAX_BYTES, INT, 104857600, atLeast(1), MEDIUM,
                    "Largest request frame accepted; a larger frame closes the connection.")
            .define(SOCKET_SEND_BUFFER_BYTES, INT, 102400, atLeast(-1), MEDIUM,
                    "SO_SNDBUF of Kafka connections; -1 uses the operating system's default.")
            .define(SOCKET_RECEIVE_BUFFER_BYTES, INT, -1, atLeast(-1), MEDIUM,
                    "SO_RCVBUF of Kafka connections; -1 (the default, unlike Kafka's 102400) uses the operating"
                            + " system's default and autotuning, which took produce requests faster here.")
            .define(CLUSTER_ID, STRING, null, nonEmpty(), LOW,
                    "Fixes the cluster id. Default: generated on first start and kept in the data directory.")
            // Storage
            .define(LOG_DIRS, LIST, List.of("./data"), null, HIGH,
                    "Comma-separated directories holding the partition logs.")
            .define(LOG_DIR, STRING, null, nonEmpty(), HIGH,
                    "A single log directory, used when log.dirs is not set.")
            .define(LOG_RETENTION_CHECK_INTERVAL_MS, LONG, 300000L, atLeast(1), MEDIUM,
                    "How often segments are checked for deletion by retention.")
            .define(LOG_RETENTION_MS, LONG, null, atLeast(-1), HIGH,
                    "Default retention.ms: how long a segment is kept; -1 keeps it forever."
                            + " Default: log.retention.minutes, else log.retention.hours (168, 7 days).")
            .define(LOG_RETENTION_MINUTES, INT, null, atLeast(-1), HIGH,
                    "Retention in minutes, used when log.retention.ms is not set.")
            .define(LOG_RETENTION_HOURS, INT, 168, atLeast(-1), HIGH,
                    "Retention in hours, used when neither log.retention.ms nor log.retention.minutes is set.")
            .define(LOG_RETENTION_BYTES, LONG, -1L, atLeast(-1), HIGH,
                    "Default retention.bytes: largest size of a partition before old segments are deleted;"
                            + " -1 means no limit.")
            .define(LOG_SEGMENT_BYTES, INT, DEFAULT_SEGMENT_BYTES, atLeast(MIN_SEGMENT_BYTES), HIGH,
                    "Default segment.bytes: size at which a segment is rolled.")
            .define(LOG_ROLL_MS, LONG, null, atLeast(1), MEDIUM,
                    "Default segment.ms: age at which a segment is rolled. Default: log.roll.hours (168).")
            .define(LOG_ROLL_HOURS, INT, 168, atLeast(1), MEDIUM,
                    "Segment roll age in hours, used when log.roll.ms is not set.")
            .define(LOG_INDEX_INTERVAL_BYTES, INT, 4096, atLeast(0), MEDIUM,
                    "Default index.interval.bytes: bytes of log between two offset index entries.")
            .define(MESSAGE_MAX_BYTES, INT, DEFAULT_MESSAGE_MAX_BYTES, atLeast(0), HIGH,
                    "Default max.message.bytes: largest record batch accepted.")
            .define(LOG_MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime", oneOf(TIMESTAMP_TYPES.toArray(String[]::new)),
                    MEDIUM, "Default message.timestamp.type: CreateTime keeps the producer's timestamp,"
                            + " LogAppendTime stamps batches on append.")
            .define(LOG_CLEANUP_POLICY, LIST, List.of("delete"), listOf(CLEANUP_POLICIES.toArray(String[]::new)),
                    MEDIUM, "Default cleanup.policy: delete, compact, or both.")
            .define(LOG_FLUSH_INTERVAL_MESSAGES, LONG, Long.MAX_VALUE, atLeast(1), MEDIUM,
                    "Default flush.messages: fsync after this many records. Default: leave it to the OS.")
            .define(LOG_FLUSH_INTERVAL_MS, LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                    "Default flush.ms: fsync when unflushed data is this old. Default: leave it to the OS.")
            .define(LOG_CLEANER_DELETE_RETENTION_MS, LONG, 86400000L, atLeast(0), MEDIUM,
                    "Default delete.retention.ms: how long tombstones are kept in compacted topics.")
            .define(LOG_CLEANER_MIN_COMPACTION_LAG_MS, LONG, 0L, atLeast(0), LOW,
                    "Default min.compaction.lag.ms: a record stays uncompacted at least this long.")
            .define(LOG_CLEANER_MAX_COMPACTION_LAG_MS, LONG, Long.MAX_VALUE, atLeast(1), LOW,
                    "Default max.compaction.lag.ms: a record is eligible for compaction at most this late.")
            .define(LOG_CLEANER_MIN_CLEANABLE_RATIO, DOUBLE, 0.5d, between(0, 1), LOW,
                    "Default min.cleanable.dirty.ratio: dirty share of a log that triggers compaction.")
            .define(LOG_CLEANER_ENABLE, BOOLEAN, true, null, MEDIUM,
                    "Run the log cleaner, which compacts topics with cleanup.policy=compact.")
            .define(LOG_CLEANER_THREADS, INT, 1, atLeast(1), MEDIUM,
                    "Threads compacting logs, each cleaning one log at a time.")
            .define(LOG_CLEANER_IO_MAX_BYTES_PER_SECOND, DOUBLE, Double.MAX_VALUE,
                    Validator.of(v -> ((Number) v).doubleValue() > 0, type -> type.phrase() + " > 0"), MEDIUM,
                    "Cap on the bytes per second all cleaner threads together read and write, so compaction"
                            + " does not starve producers and consumers.")
            .define(LOG_CLEANER_DEDUPE_BUFFER_SIZE, LONG, 134217728L, atLeast(1024 * 1024), MEDIUM,
                    "Memory for the cleaner's key -> offset map (24 bytes a key), across all cleaner threads.")
            .define(LOG_CLEANER_IO_BUFFER_SIZE, INT, 524288, atLeast(4096), LOW,
                    "Initial size of the cleaner's read and write buffers; they grow for larger batches.")
            .define(LOG_CLEANER_BACKOFF_MS, LONG, 15000L, atLeast(1), MEDIUM,
                    "How long the cleaner sleeps when no log needs cleaning.")
            .define(MIN_INSYNC_REPLICAS, INT, 1, atLeast(1), HIGH,
                    "Default min.insync.replicas: replicas that must have a record before acks=all succeeds.")
            .define(COMPRESSION_TYPE, STRING, "producer", oneOf(COMPRESSION_TYPES.toArray(String[]::new)), MEDIUM,
                    "Default compression.type: producer keeps the producer's codec.")
            .define(UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, false, null, LOW,
                    "Default unclean.leader.election.enable: elect a replica outside the ISR as a last resort.")
            // Topics
            .define(NUM_PARTITIONS, INT, 1, atLeast(1), HIGH,
                    "Partitions of an auto-created topic, or of a created one that does not say.")
            .define(DEFAULT_REPLICATION_FACTOR, SHORT, (short) 1, atLeast(1), HIGH,
                    "Replication factor of an auto-created topic, or of a created one that does not say.")
            .define(AUTO_CREATE_TOPICS_ENABLE, BOOLEAN, true, null, HIGH,
                    "Create a topic when a client produces to or asks metadata for one that does not exist.")
            // Consumer groups
            .define(GROUP_INITIAL_REBALANCE_DELAY_MS, INT, 3000, atLeast(0), MEDIUM,
                    "How long a new group waits for more members before its first rebalance.")
            // Kafka's default is 50, sized to spread coordinators over large clusters. Here each partition is
            // a coordinator shard pinned to one event loop, so beyond the loop count more partitions only add
            // files, fsyncs and replay work; 16 still spreads evenly over small clusters.
            .define(OFFSETS_TOPIC_NUM_PARTITIONS, INT, 16, atLeast(1), HIGH,
                    "Partitions of __consumer_offsets (one group coordinator shard each); fixed once the topic"
                            + " exists.")
            .define(OFFSETS_TOPIC_SEGMENT_BYTES, INT, 104857600, atLeast(MIN_SEGMENT_BYTES), MEDIUM,
                    "segment.bytes of __consumer_offsets, kept small so its log is quick to replay.")
            .define(OFFSET_METADATA_MAX_BYTES, INT, 4096, atLeast(0), MEDIUM,
                    "Longest metadata string a committed offset may carry.")
            .define(OFFSETS_RETENTION_MINUTES, INT, 10080, atLeast(1), HIGH,
                    "How long committed offsets are kept once their group is empty, or no longer subscribes to"
                            + " their topic (Kafka's rules, see docs/consumer-groups.md).")
            .define(OFFSETS_RETENTION_CHECK_INTERVAL_MS, LONG, 600000L, atLeast(1), HIGH,
                    "How often each coordinator shard removes expired offsets and empty groups without offsets.")
            .define(METRICS_CONSUMER_LAG_INTERVAL_MS, LONG, 10000L, atLeast(100), LOW,
                    "How often the consumer group lag metric is recomputed.")
            .define(GROUP_MIN_SESSION_TIMEOUT_MS, INT, 6000, atLeast(1), MEDIUM,
                    "Smallest session timeout a classic group member may ask for.")
            .define(GROUP_MAX_SESSION_TIMEOUT_MS, INT, 1800000, atLeast(1), MEDIUM,
                    "Largest session timeout a classic group member may ask for.")
            .define(GROUP_MAX_SIZE, INT, Integer.MAX_VALUE, atLeast(1), MEDIUM,
                    "Most members a single consumer group may have.")
            .define(GROUP_CONSUMER_SESSION_TIMEOUT_MS, INT, 45000, atLeast(1), MEDIUM,
                    "Session timeout of members using the consumer group protocol (group.protocol=consumer).")
            .define(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, INT, 5000, atLeast(1), MEDIUM,
                    "Heartbeat interval given to members using the consumer group protocol.")
            .define(GROUP_CONSUMER_ASSIGNORS, LIST, List.of("uniform", "range"), listOf("uniform", "range"), MEDIUM,
                    "Server-side assignors of the consumer group protocol; the first is the default.")
            // Transactions
            .define(TRANSACTION_STATE_LOG_NUM_PARTITIONS, INT, 8, atLeast(1), HIGH,
                    "Partitions of __transaction_state (one transaction coordinator shard each); fixed once the"
                            + " topic exists.")
            .define(TRANSACTION_STATE_LOG_SEGMENT_BYTES, INT, 104857600, atLeast(MIN_SEGMENT_BYTES), MEDIUM,
                    "segment.bytes of __transaction_state, kept small so its log is quick to replay.")
            .define(TRANSACTION_MAX_TIMEOUT_MS, INT, 900000, atLeast(1), HIGH,
                    "Largest transaction.timeout.ms a producer may ask for; InitProducerId refuses more.")
            .define(TRANSACTIONAL_ID_EXPIRATION_MS, LONG, 604800000L, atLeast(1), MEDIUM,
                    "A transactional id with no transaction open for this long is forgotten.")
            .define(PRODUCER_ID_EXPIRATION_MS, LONG, 86400000L, atLeast(1), MEDIUM,
                    "A partition forgets the deduplication state of a producer idle this long (no open"
                            + " transaction)."))))));

    private BrokerConfigDef() {
    }
}
