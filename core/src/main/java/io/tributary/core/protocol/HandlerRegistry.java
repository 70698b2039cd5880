package io.tributary.core.protocol;

import io.tributary.core.protocol.handlers.AddOffsetsToTxnHandler;
import io.tributary.core.protocol.handlers.AddPartitionsToTxnHandler;
import io.tributary.core.protocol.handlers.AlterConfigsHandler;
import io.tributary.core.protocol.handlers.DescribeTransactionsHandler;
import io.tributary.core.protocol.handlers.EndTxnHandler;
import io.tributary.core.protocol.handlers.ListTransactionsHandler;
import io.tributary.core.protocol.handlers.TxnOffsetCommitHandler;
import io.tributary.core.protocol.handlers.ApiVersionsHandler;
import io.tributary.core.protocol.handlers.ConsumerGroupDescribeHandler;
import io.tributary.core.protocol.handlers.ConsumerGroupHeartbeatHandler;
import io.tributary.core.protocol.handlers.CreatePartitionsHandler;
import io.tributary.core.protocol.handlers.CreateTopicsHandler;
import io.tributary.core.protocol.handlers.DeleteGroupsHandler;
import io.tributary.core.protocol.handlers.DeleteRecordsHandler;
import io.tributary.core.protocol.handlers.DeleteTopicsHandler;
import io.tributary.core.protocol.handlers.DescribeClusterHandler;
import io.tributary.core.protocol.handlers.DescribeConfigsHandler;
import io.tributary.core.protocol.handlers.DescribeGroupsHandler;
import io.tributary.core.protocol.handlers.DescribeLogDirsHandler;
import io.tributary.core.protocol.handlers.DescribeProducersHandler;
import io.tributary.core.protocol.handlers.FetchHandler;
import io.tributary.core.protocol.handlers.FindCoordinatorHandler;
import io.tributary.core.protocol.handlers.HeartbeatHandler;
import io.tributary.core.protocol.handlers.IncrementalAlterConfigsHandler;
import io.tributary.core.protocol.handlers.InitProducerIdHandler;
import io.tributary.core.protocol.handlers.JoinGroupHandler;
import io.tributary.core.protocol.handlers.LeaveGroupHandler;
import io.tributary.core.protocol.handlers.ListGroupsHandler;
import io.tributary.core.protocol.handlers.ListOffsetsHandler;
import io.tributary.core.protocol.handlers.MetadataHandler;
import io.tributary.core.protocol.handlers.OffsetCommitHandler;
import io.tributary.core.protocol.handlers.OffsetDeleteHandler;
import io.tributary.core.protocol.handlers.OffsetFetchHandler;
import io.tributary.core.protocol.handlers.OffsetsForLeaderEpochHandler;
import io.tributary.core.protocol.handlers.AlterPartitionReassignmentsHandler;
import io.tributary.core.protocol.handlers.ListPartitionReassignmentsHandler;
import io.tributary.core.protocol.handlers.ElectLeadersHandler;
import io.tributary.core.protocol.handlers.ProduceHandler;
import io.tributary.core.protocol.handlers.SyncGroupHandler;
import io.tributary.core.protocol.security.AlterClientQuotasHandler;
import io.tributary.core.protocol.security.AlterUserScramCredentialsHandler;
import io.tributary.core.protocol.security.CreateAclsHandler;
import io.tributary.core.protocol.security.DeleteAclsHandler;
import io.tributary.core.protocol.security.DescribeAclsHandler;
import io.tributary.core.protocol.security.DescribeClientQuotasHandler;
import io.tributary.core.protocol.security.DescribeUserScramCredentialsHandler;
import io.tributary.core.protocol.security.SaslAuthenticateHandler;
import io.tributary.core.protocol.security.SaslHandshakeHandler;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;

import java.util.EnumMap;
import java.util.Map;

/** Which handler serves which API. Every API in {@link ApiVersionTable} has exactly one. */
public final class HandlerRegistry {

    private final Map<ApiKeys, ApiHandler<? extends AbstractRequest>> handlers = new EnumMap<>(ApiKeys.class);

    public HandlerRegistry() {
        handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler());
        handlers.put(ApiKeys.METADATA, new MetadataHandler());
        handlers.put(ApiKeys.PRODUCE, new ProduceHandler());
        handlers.put(ApiKeys.FETCH, new FetchHandler());
        handlers.put(ApiKeys.LIST_OFFSETS, new ListOffsetsHandler());
        handlers.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, new OffsetsForLeaderEpochHandler());
        handlers.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, new AlterPartitionReassignmentsHandler());
        handlers.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, new ListPartitionReassignmentsHandler());
        handlers.put(ApiKeys.ELECT_LEADERS, new ElectLeadersHandler());
        handlers.put(ApiKeys.CREATE_TOPICS, new CreateTopicsHandler());
        handlers.put(ApiKeys.DELETE_TOPICS, new DeleteTopicsHandler());
        handlers.put(ApiKeys.INIT_PRODUCER_ID, new InitProducerIdHandler());
        handlers.put(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsHandler());
        handlers.put(ApiKeys.DESCRIBE_CLUSTER, new DescribeClusterHandler());
        handlers.put(ApiKeys.DELETE_RECORDS, new DeleteRecordsHandler());
        handlers.put(ApiKeys.FIND_COORDINATOR, new FindCoordinatorHandler());
        handlers.put(ApiKeys.JOIN_GROUP, new JoinGroupHandler());
        handlers.put(ApiKeys.SYNC_GROUP, new SyncGroupHandler());
        handlers.put(ApiKeys.HEARTBEAT, new HeartbeatHandler());
        handlers.put(ApiKeys.LEAVE_GROUP, new LeaveGroupHandler());
        handlers.put(ApiKeys.OFFSET_COMMIT, new OffsetCommitHandler());
        handlers.put(ApiKeys.OFFSET_FETCH, new OffsetFetchHandler());
        handlers.put(ApiKeys.LIST_GROUPS, new ListGroupsHandler());
        handlers.put(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsHandler());
        handlers.put(ApiKeys.DELETE_GROUPS, new DeleteGroupsHandler());
        handlers.put(ApiKeys.OFFSET_DELETE, new OffsetDeleteHandler());
        handlers.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, new ConsumerGroupHeartbeatHandler());
        handlers.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, new ConsumerGroupDescribeHandler());
        handlers.put(ApiKeys.ALTER_CONFIGS, new AlterConfigsHandler());
        handlers.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, new IncrementalAlterConfigsHandler());
        handlers.put(ApiKeys.CREATE_PARTITIONS, new CreatePartitionsHandler());
        handlers.put(ApiKeys.DESCRIBE_LOG_DIRS, new DescribeLogDirsHandler());
        handlers.put(ApiKeys.DESCRIBE_PRODUCERS, new DescribeProducersHandler());
        handlers.put(ApiKeys.ADD_PARTITIONS_TO_TXN, new AddPartitionsToTxnHandler());
        handlers.put(ApiKeys.ADD_OFFSETS_TO_TXN, new AddOffsetsToTxnHandler());
        handlers.put(ApiKeys.END_TXN, new EndTxnHandler());
        handlers.put(ApiKeys.TXN_OFFSET_COMMIT, new TxnOffsetCommitHandler());
        handlers.put(ApiKeys.DESCRIBE_TRANSACTIONS, new DescribeTransactionsHandler());
        handlers.put(ApiKeys.LIST_TRANSACTIONS, new ListTransactionsHandler());
        // Security: SASL authentication, ACLs and SCRAM credentials.
        handlers.put(ApiKeys.SASL_HANDSHAKE, new SaslHandshakeHandler());
        handlers.put(ApiKeys.SASL_AUTHENTICATE, new SaslAuthenticateHandler());
        handlers.put(ApiKeys.CREATE_ACLS, new CreateAclsHandler());
        handlers.put(ApiKeys.DESCRIBE_ACLS, new DescribeAclsHandler());
        handlers.put(ApiKeys.DELETE_ACLS, new DeleteAclsHandler());
        handlers.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, new DescribeUserScramCredentialsHandler());
        handlers.put(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, new AlterUserScramCredentialsHandler());
        handlers.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, new DescribeClientQuotasHandler());
        handlers.put(ApiKeys.ALTER_CLIENT_QUOTAS, new AlterClientQuotasHandler());
        if (!handlers.keySet().equals(ApiVersionTable.apis())) {
            throw new IllegalStateException("Advertised APIs and handlers differ: " + ApiVersionTable.apis()
                    + " vs " + handlers.keySet());
        }
    }

    @SuppressWarnings("unchecked")
    public <R extends AbstractRequest> ApiHandler<R> get(ApiKeys api) {
        return (ApiHandler<R>) handlers.get(api);
    }
}
