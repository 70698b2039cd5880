package io.tributary.core.protocol.security;

import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.network.FramingException;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.KafkaSession;
import io.vertx.core.Future;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The single place where Kafka requests meet security, in front of every handler. Before a SASL client has
 * authenticated only ApiVersions, SaslHandshake and SaslAuthenticate are served; anything else closes the connection
 * (Kafka's behaviour). With an authorizer enabled each API is checked by Kafka's rules: Produce needs WRITE and Fetch
 * READ on each topic (unauthorised topics get TOPIC_AUTHORIZATION_FAILED, the rest is served), Metadata shows only
 * topics the principal may DESCRIBE, group APIs need READ/DESCRIBE/DELETE on the group, admin APIs CREATE, DELETE,
 * ALTER, ALTER_CONFIGS or DESCRIBE_CONFIGS on the topic or the cluster, transactional APIs WRITE on the transactional
 * id. Without an authorizer requests go straight to their handler, exactly as before.
 */
public final class RequestAuthorizer {

    private static final Set<ApiKeys> BEFORE_AUTHENTICATION =
            EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE);
    /** APIs whose handlers authorise themselves, or that need no authorisation. */
    private static final Set<ApiKeys> SELF_CHECKED = EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE,
            ApiKeys.SASL_AUTHENTICATE, ApiKeys.CREATE_ACLS, ApiKeys.DESCRIBE_ACLS, ApiKeys.DELETE_ACLS,
            ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, ApiKeys.DESCRIBE_CLUSTER,
            ApiKeys.DESCRIBE_CLIENT_QUOTAS, ApiKeys.ALTER_CLIENT_QUOTAS);

    private RequestAuthorizer() {
    }

    /** Authenticates, authorises and hands the request to its handler. */
    @SuppressWarnings("unchecked")
    public static Future<ApiMessage> dispatch(RequestContext context, AbstractRequest request,
                                              ApiHandler<? extends AbstractRequest> handler) {
        ApiHandler<AbstractRequest> h = (ApiHandler<AbstractRequest>) handler;
        ApiKeys api = context.header().apiKey();
        KafkaSession session = context.connection().session();
        if (!session.authenticated() && !BEFORE_AUTHENTICATION.contains(api)) {
            return Future.failedFuture(new FramingException(api + " before SASL authentication completed"
                    + (session.state() == KafkaSession.State.FAILED ? " (authentication failed)" : "")));
        }
        if (!Authz.enabled(context) || SELF_CHECKED.contains(api)) {
            return h.handle(context, request);
        }
        return switch (api) {
            case PRODUCE -> produce(context, (ProduceRequest) request, h);
            case FETCH -> fetch(context, (FetchRequest) request, h);
            case METADATA -> metadata(context, request, h);
            case LIST_GROUPS -> h.handle(context, request).map(r -> filterGroups(context, r));
            case LIST_TRANSACTIONS -> h.handle(context, request).map(r -> filterTransactions(context, r));
            default -> {
                ApiException denied = check(context, api, request.data());
                yield denied == null ? h.handle(context, request)
                        : Future.succeededFuture(request.getErrorResponse(0, denied).data());
            }
        };
    }

    /** The first failed requirement of an all-or-nothing API, as the exception its error response carries. */
    private static ApiException check(RequestContext c, ApiKeys api, ApiMessage data) {
        Requirements r = new Requirements(c);
        switch (api) {
            case LIST_OFFSETS -> ((ListOffsetsRequestData) data).topics()
                    .forEach(t -> r.topic(AclOperation.DESCRIBE, t.name()));
            case OFFSET_COMMIT -> {
                OffsetCommitRequestData d = (OffsetCommitRequestData) data;
                r.group(AclOperation.READ, d.groupId());
                d.topics().forEach(t -> r.topic(AclOperation.READ, name(c, t.name(), t.topicId())));
            }
            case OFFSET_FETCH -> {
                OffsetFetchRequestData d = (OffsetFetchRequestData) data;
                if (d.groupId() != null && !d.groupId().isEmpty()) {
                    r.group(AclOperation.DESCRIBE, d.groupId());
                }
                if (d.topics() != null) {
                    d.topics().forEach(t -> r.topic(AclOperation.DESCRIBE, t.name()));
                }
                d.groups().forEach(g -> {
                    r.group(AclOperation.DESCRIBE, g.groupId());
                    if (g.topics() != null) {
                        g.topics().forEach(t -> r.topic(AclOperation.DESCRIBE, name(c, t.name(), t.topicId())));
                    }
                });
            }
            case FIND_COORDINATOR -> {
                FindCoordinatorRequestData d = (FindCoordinatorRequestData) data;
                List<String> keys = d.coordinatorKeys().isEmpty() ? List.of(d.key()) : d.coordinatorKeys();
                for (String key : keys) {
                    if (d.keyType() == 1) {
                        r.transactionalId(AclOperation.DESCRIBE, key);
                    } else {
                        r.group(AclOperation.DESCRIBE, key);
                    }
                }
            }
            case JOIN_GROUP -> r.group(AclOperation.READ, ((org.apache.kafka.common.message.JoinGroupRequestData) data).groupId());
            case SYNC_GROUP -> r.group(AclOperation.READ, ((org.apache.kafka.common.message.SyncGroupRequestData) data).groupId());
            case HEARTBEAT -> r.group(AclOperation.READ, ((org.apache.kafka.common.message.HeartbeatRequestData) data).groupId());
            case LEAVE_GROUP -> r.group(AclOperation.READ, ((org.apache.kafka.common.message.LeaveGroupRequestData) data).groupId());
            case CONSUMER_GROUP_HEARTBEAT -> r.group(AclOperation.READ,
                    ((org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData) data).groupId());
            case CONSUMER_GROUP_DESCRIBE -> ((org.apache.kafka.common.message.ConsumerGroupDescribeRequestData) data)
                    .groupIds().forEach(g -> r.group(AclOperation.DESCRIBE, g));
            case DESCRIBE_GROUPS -> ((org.apache.kafka.common.message.DescribeGroupsRequestData) data)
                    .groups().forEach(g -> r.group(AclOperation.DESCRIBE, g));
            case DELETE_GROUPS -> ((org.apache.kafka.common.message.DeleteGroupsRequestData) data)
                    .groupsNames().forEach(g -> r.group(AclOperation.DELETE, g));
            case OFFSET_DELETE -> {
                OffsetDeleteRequestData d = (OffsetDeleteRequestData) data;
                r.group(AclOperation.DELETE, d.groupId());
                d.topics().forEach(t -> r.topic(AclOperation.READ, t.name()));
            }
            case CREATE_TOPICS -> {
                if (!Authz.cluster(c, AclOperation.CREATE)) {
                    for (CreateTopicsRequestData.CreatableTopic t : ((CreateTopicsRequestData) data).topics()) {
                        r.topic(AclOperation.CREATE, t.name());
                    }
                }
            }
            case DELETE_TOPICS -> {
                DeleteTopicsRequestData d = (DeleteTopicsRequestData) data;
                d.topicNames().forEach(n -> r.topic(AclOperation.DELETE, n));
                d.topics().forEach(t -> r.topic(AclOperation.DELETE, name(c, t.name(), t.topicId())));
            }
            case CREATE_PARTITIONS -> ((CreatePartitionsRequestData) data).topics()
                    .forEach(t -> r.topic(AclOperation.ALTER, t.name()));
            case DELETE_RECORDS -> ((DeleteRecordsRequestData) data).topics()
                    .forEach(t -> r.topic(AclOperation.DELETE, t.name()));
            case DESCRIBE_PRODUCERS -> ((DescribeProducersRequestData) data).topics()
                    .forEach(t -> r.topic(AclOperation.READ, t.name()));
            case DESCRIBE_CONFIGS -> ((DescribeConfigsRequestData) data).resources()
                    .forEach(res -> r.config(AclOperation.DESCRIBE_CONFIGS, res.resourceType(), res.resourceName()));
            case ALTER_CONFIGS -> ((AlterConfigsRequestData) data).resources()
                    .forEach(res -> r.config(AclOperation.ALTER_CONFIGS, res.resourceType(), res.resourceName()));
            case INCREMENTAL_ALTER_CONFIGS -> ((IncrementalAlterConfigsRequestData) data).resources()
                    .forEach(res -> r.config(AclOperation.ALTER_CONFIGS, res.resourceType(), res.resourceName()));
            case DESCRIBE_LOG_DIRS -> r.cluster(AclOperation.DESCRIBE);
            case INIT_PRODUCER_ID -> {
                String txnId = ((org.apache.kafka.common.message.InitProducerIdRequestData) data).transactionalId();
                if (txnId != null) {
                    r.transactionalId(AclOperation.WRITE, txnId);
                } else if (!Authz.cluster(c, AclOperation.IDEMPOTENT_WRITE) && !anyTopicWrite(c)) {
                    // KIP-679: WRITE on any topic is enough for an idempotent producer.
                    r.cluster(AclOperation.IDEMPOTENT_WRITE);
                }
            }
            case ADD_PARTITIONS_TO_TXN -> {
                AddPartitionsToTxnRequestData d = (AddPartitionsToTxnRequestData) data;
                r.transactionalId(AclOperation.WRITE, d.v3AndBelowTransactionalId());
                d.v3AndBelowTopics().forEach(t -> r.topic(AclOperation.WRITE, t.name()));
                d.transactions().forEach(t -> {
                    r.transactionalId(AclOperation.WRITE, t.transactionalId());
                    t.topics().forEach(tp -> r.topic(AclOperation.WRITE, tp.name()));
                });
            }
            case ADD_OFFSETS_TO_TXN -> {
                AddOffsetsToTxnRequestData d = (AddOffsetsToTxnRequestData) data;
                r.transactionalId(AclOperation.WRITE, d.transactionalId());
                r.group(AclOperation.READ, d.groupId());
            }
            case END_TXN -> r.transactionalId(AclOperation.WRITE,
                    ((org.apache.kafka.common.message.EndTxnRequestData) data).transactionalId());
            case TXN_OFFSET_COMMIT -> {
                TxnOffsetCommitRequestData d = (TxnOffsetCommitRequestData) data;
                r.transactionalId(AclOperation.WRITE, d.transactionalId());
                r.group(AclOperation.READ, d.groupId());
                d.topics().forEach(t -> r.topic(AclOperation.READ, t.name()));
            }
            case DESCRIBE_TRANSACTIONS -> ((org.apache.kafka.common.message.DescribeTransactionsRequestData) data)
                    .transactionalIds().forEach(id -> r.transactionalId(AclOperation.DESCRIBE, id));
            // An API this class does not know (e.g. inter-broker) is for the cluster itself.
            default -> r.cluster(AclOperation.CLUSTER_ACTION);
        }
        return r.denied();
    }

    // ---- Produce: WRITE per topic, the others answered TOPIC_AUTHORIZATION_FAILED

    private static Future<ApiMessage> produce(RequestContext c, ProduceRequest request, ApiHandler<AbstractRequest> h) {
        ProduceRequestData data = request.data();
        if (data.transactionalId() != null && !Authz.transactionalId(c, AclOperation.WRITE, data.transactionalId())) {
            return Future.succeededFuture(request.getErrorResponse(0,
                    new TransactionalIdAuthorizationException("Transactional id authorization failed")).data());
        }
        List<ProduceRequestData.TopicProduceData> refused = new ArrayList<>();
        Iterator<ProduceRequestData.TopicProduceData> it = data.topicData().iterator();
        while (it.hasNext()) {
            ProduceRequestData.TopicProduceData t = it.next();
            String name = name(c, t.name(), t.topicId());
            if (name != null && !Authz.topic(c, AclOperation.WRITE, name)) {
                it.remove();
                refused.add(t);
            }
        }
        if (refused.isEmpty()) {
            return h.handle(c, request);
        }
        Future<ApiMessage> served = data.topicData().isEmpty()
                ? Future.succeededFuture(request.acks() == 0 ? null : new ProduceResponseData())
                : h.handle(c, request);
        return served.map(response -> {
            if (response == null) {
                return null;
            }
            ProduceResponseData r = (ProduceResponseData) response;
            for (ProduceRequestData.TopicProduceData t : refused) {
                ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse()
                        .setName(t.name()).setTopicId(t.topicId());
                t.partitionData().forEach(p -> topic.partitionResponses().add(
                        new ProduceResponseData.PartitionProduceResponse().setIndex(p.index())
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1)));
                r.responses().add(topic);
            }
            return r;
        });
    }

    // ---- Fetch: READ per topic for consumers, CLUSTER_ACTION for followers

    private static Future<ApiMessage> fetch(RequestContext c, FetchRequest request, ApiHandler<AbstractRequest> h) {
        FetchRequestData data = request.data();
        int replicaId = data.replicaState() != null && data.replicaState().replicaId() >= 0
                ? data.replicaState().replicaId() : data.replicaId();
        if (replicaId >= 0) {
            return Authz.cluster(c, AclOperation.CLUSTER_ACTION) ? h.handle(c, request)
                    : Future.succeededFuture(request.getErrorResponse(0,
                    new ClusterAuthorizationException("Follower fetch needs CLUSTER_ACTION")).data());
        }
        List<FetchRequestData.FetchTopic> refused = new ArrayList<>();
        Iterator<FetchRequestData.FetchTopic> it = data.topics().iterator();
        while (it.hasNext()) {
            FetchRequestData.FetchTopic t = it.next();
            String name = name(c, t.topic(), t.topicId());
            if (name != null && !Authz.topic(c, AclOperation.READ, name)) {
                it.remove();
                refused.add(t);
            }
        }
        if (refused.isEmpty()) {
            return h.handle(c, request);
        }
        Future<ApiMessage> served = data.topics().isEmpty()
                ? Future.succeededFuture(new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0))
                : h.handle(c, request);
        return served.map(response -> {
            FetchResponseData r = (FetchResponseData) response;
            for (FetchRequestData.FetchTopic t : refused) {
                FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                        .setTopic(t.topic()).setTopicId(t.topicId());
                t.partitions().forEach(p -> topic.partitions().add(new FetchResponseData.PartitionData()
                        .setPartitionIndex(p.partition())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1)
                        .setRecords(MemoryRecords.EMPTY)));
                r.responses().add(topic);
            }
            return r;
        });
    }

    // ---- Metadata: only topics the principal may DESCRIBE; auto-creation only with CREATE

    private static Future<ApiMessage> metadata(RequestContext c, AbstractRequest request, ApiHandler<AbstractRequest> h) {
        MetadataRequestData data = (MetadataRequestData) request.data();
        if (data.topics() == null) {
            return h.handle(c, request).map(r -> {
                MetadataResponseData m = (MetadataResponseData) r;
                m.topics().removeIf(t -> !Authz.topic(c, AclOperation.DESCRIBE, t.name()));
                return m;
            });
        }
        List<MetadataResponseData.MetadataResponseTopic> refused = new ArrayList<>();
        boolean clusterCreate = Authz.cluster(c, AclOperation.CREATE);
        Iterator<MetadataRequestData.MetadataRequestTopic> it = data.topics().iterator();
        while (it.hasNext()) {
            MetadataRequestData.MetadataRequestTopic t = it.next();
            String name = name(c, t.name(), t.topicId());
            if (name == null) {
                continue;
            }
            if (!Authz.topic(c, AclOperation.DESCRIBE, name)) {
                it.remove();
                refused.add(new MetadataResponseData.MetadataResponseTopic().setName(t.name()).setTopicId(
                        t.topicId() == null ? Uuid.ZERO_UUID : t.topicId())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            } else if (!clusterCreate && !Authz.topic(c, AclOperation.CREATE, name)) {
                data.setAllowAutoTopicCreation(false);
            }
        }
        return h.handle(c, request).map(r -> {
            MetadataResponseData m = (MetadataResponseData) r;
            refused.forEach(t -> m.topics().add(t));
            return m;
        });
    }

    private static ApiMessage filterGroups(RequestContext c, ApiMessage response) {
        if (!Authz.cluster(c, AclOperation.DESCRIBE)) {
            ((ListGroupsResponseData) response).groups().removeIf(g -> !Authz.group(c, AclOperation.DESCRIBE, g.groupId()));
        }
        return response;
    }

    private static ApiMessage filterTransactions(RequestContext c, ApiMessage response) {
        ((ListTransactionsResponseData) response).transactionStates()
                .removeIf(t -> !Authz.transactionalId(c, AclOperation.DESCRIBE, t.transactionalId()));
        return response;
    }

    /** A topic's name from a request that names it or gives its id; null when an id is unknown. */
    private static String name(RequestContext c, String name, Uuid id) {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        if (id == null || id.equals(Uuid.ZERO_UUID)) {
            return name;
        }
        MetadataImage image = c.broker().topics().image();
        return image.topic(id).map(TopicInfo::name).orElse(null);
    }

    private static boolean anyTopicWrite(RequestContext c) {
        KafkaSession s = c.connection().session();
        return s.security().authorizer().authorizeAny(s.principal(), s.host(), AclOperation.WRITE, ResourceType.TOPIC);
    }

    /** Collects the checks of one request and remembers the first refusal. */
    private static final class Requirements {
        private final RequestContext context;
        private ApiException denied;

        Requirements(RequestContext context) {
            this.context = context;
        }

        void topic(AclOperation op, String name) {
            if (denied == null && name != null && !Authz.topic(context, op, name)) {
                denied = new TopicAuthorizationException(Set.of(name));
            }
        }

        void group(AclOperation op, String name) {
            if (denied == null && name != null && !Authz.group(context, op, name)) {
                denied = new GroupAuthorizationException(name);
            }
        }

        void transactionalId(AclOperation op, String id) {
            if (denied == null && id != null && !Authz.transactionalId(context, op, id)) {
                denied = new TransactionalIdAuthorizationException("Transactional id " + id + " authorization failed");
            }
        }

        void cluster(AclOperation op) {
            if (denied == null && !Authz.cluster(context, op)) {
                denied = new ClusterAuthorizationException("Cluster authorization failed: " + op);
            }
        }

        /** Config resources: 2 = topic, 4 = broker, 8 = broker logger, 32 = group (Kafka's ConfigResource types). */
        void config(AclOperation op, byte type, String name) {
            switch (type) {
                case 2 -> topic(op, name);
                case 32 -> group(op, name);
                default -> cluster(op);
            }
        }

        ApiException denied() {
            return denied;
        }
    }
}
