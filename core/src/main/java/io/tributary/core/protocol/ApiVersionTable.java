package io.tributary.core.protocol;

import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The single source of truth for which APIs and versions this broker advertises in ApiVersions.
 * It lists only what is implemented. Each range is what Apache Kafka 4.x brokers advertise, so
 * every Kafka 4.x Java client and librdkafka 2.x finds the versions it needs.
 */
public final class ApiVersionTable {

    /** An advertised range; {@code minParsable} is the lowest version the codec can decode. */
    public record Range(short min, short max, short minParsable) {

        public boolean contains(short version) {
            return version >= min && version <= max;
        }

        public boolean parsable(short version) {
            return version >= minParsable && version <= max;
        }
    }

    private static final Map<ApiKeys, Range> ADVERTISED = build();

    private ApiVersionTable() {
    }

    private static Map<ApiKeys, Range> build() {
        Map<ApiKeys, Range> table = new EnumMap<>(ApiKeys.class);
        // Produce is advertised from v0 although only v3+ exists in Kafka 4: librdkafka before 2.11.1
        // turns compression off unless v0 is in range (KAFKA-18659). No 4.x-era client sends v0-2.
        table.put(ApiKeys.PRODUCE, new Range((short) 0, (short) 13, (short) 3));
        table.put(ApiKeys.FETCH, range(4, 18));
        table.put(ApiKeys.LIST_OFFSETS, range(1, 11));
        // Replication and truncation detection (KIP-320); clients use v3+, brokers' followers use Fetch instead.
        table.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, range(2, 4));
        table.put(ApiKeys.METADATA, range(0, 13));
        table.put(ApiKeys.API_VERSIONS, range(0, 4));
        table.put(ApiKeys.CREATE_TOPICS, range(2, 7));
        table.put(ApiKeys.DELETE_TOPICS, range(1, 6));
        // v6 adds two-phase-commit fields (KIP-939) that this broker does not implement.
        table.put(ApiKeys.INIT_PRODUCER_ID, range(0, 5));
        table.put(ApiKeys.DESCRIBE_CONFIGS, range(1, 4));
        table.put(ApiKeys.DESCRIBE_CLUSTER, range(0, 2));
        table.put(ApiKeys.DELETE_RECORDS, range(0, 2));
        // Group coordination. FindCoordinator, JoinGroup, SyncGroup, Heartbeat and LeaveGroup keep v0
        // and OffsetFetch v1: librdkafka 2.0-2.11.0 checks that exactly those versions are in range.
        table.put(ApiKeys.FIND_COORDINATOR, range(0, 6));
        table.put(ApiKeys.JOIN_GROUP, range(0, 9));
        table.put(ApiKeys.SYNC_GROUP, range(0, 5));
        table.put(ApiKeys.HEARTBEAT, range(0, 4));
        table.put(ApiKeys.LEAVE_GROUP, range(0, 5));
        table.put(ApiKeys.OFFSET_COMMIT, range(2, 10));
        table.put(ApiKeys.OFFSET_FETCH, range(1, 10));
        table.put(ApiKeys.LIST_GROUPS, range(0, 5));
        table.put(ApiKeys.DESCRIBE_GROUPS, range(0, 6));
        table.put(ApiKeys.DELETE_GROUPS, range(0, 2));
        table.put(ApiKeys.OFFSET_DELETE, range(0, 0));
        // The consumer group protocol (KIP-848, group.protocol=consumer).
        table.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, range(0, 1));
        table.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, range(0, 1));
        // Administration (kafka-configs, kafka-topics --alter, kafka-log-dirs, kafka-transactions).
        table.put(ApiKeys.ALTER_CONFIGS, range(0, 2));
        table.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, range(0, 1));
        table.put(ApiKeys.CREATE_PARTITIONS, range(0, 3));
        table.put(ApiKeys.DESCRIBE_LOG_DIRS, range(1, 5));
        table.put(ApiKeys.DESCRIBE_PRODUCERS, range(0, 0));
        // Cluster operations (kafka-reassign-partitions, kafka-leader-election).
        table.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, range(0, 1));
        table.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, range(0, 0));
        table.put(ApiKeys.ELECT_LEADERS, range(0, 2));
        // Transactions at transaction.version 1 (TV2 is not advertised in finalizedFeatures): clients send
        // AddPartitionsToTxn <= 3 (4+ is broker-side verification), EndTxn and TxnOffsetCommit <= 4 (5 is TV2).
        // WriteTxnMarkers (27) is broker-to-broker and never advertised: markers are written in process.
        table.put(ApiKeys.ADD_PARTITIONS_TO_TXN, range(0, 3));
        table.put(ApiKeys.ADD_OFFSETS_TO_TXN, range(0, 4));
        table.put(ApiKeys.END_TXN, range(0, 4));
        table.put(ApiKeys.TXN_OFFSET_COMMIT, range(0, 4));
        table.put(ApiKeys.DESCRIBE_TRANSACTIONS, range(0, 0));
        table.put(ApiKeys.LIST_TRANSACTIONS, range(0, 2));
        // Security: SASL (v0 handshakes are followed by bare tokens), ACLs (kafka-acls) and SCRAM credentials
        // (kafka-configs --entity-type users).
        table.put(ApiKeys.SASL_HANDSHAKE, range(0, 1));
        table.put(ApiKeys.SASL_AUTHENTICATE, range(0, 2));
        table.put(ApiKeys.CREATE_ACLS, range(1, 3));
        table.put(ApiKeys.DESCRIBE_ACLS, range(1, 3));
        table.put(ApiKeys.DELETE_ACLS, range(1, 3));
        table.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, range(0, 0));
        table.put(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, range(0, 0));
        // Client quotas (kafka-configs --entity-type users|clients, producer_byte_rate / consumer_byte_rate).
        table.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, range(0, 1));
        table.put(ApiKeys.ALTER_CLIENT_QUOTAS, range(0, 1));
        return Collections.unmodifiableMap(table);
    }

    private static Range range(int min, int max) {
        return new Range((short) min, (short) max, (short) min);
    }

    public static Set<ApiKeys> apis() {
        return ADVERTISED.keySet();
    }

    /** The advertised range of {@code api}, or null when the API is not implemented. */
    public static Range range(ApiKeys api) {
        return ADVERTISED.get(api);
    }

    public static boolean isSupported(ApiKeys api, short version) {
        Range range = ADVERTISED.get(api);
        return range != null && range.parsable(version);
    }

    /** The api_keys array of an ApiVersions response. */
    public static ApiVersionCollection toApiVersions() {
        ApiVersionCollection versions = new ApiVersionCollection(ADVERTISED.size());
        ADVERTISED.forEach((api, range) -> versions.add(new ApiVersion()
                .setApiKey(api.id)
                .setMinVersion(range.min())
                .setMaxVersion(range.max())));
        return versions;
    }
}
