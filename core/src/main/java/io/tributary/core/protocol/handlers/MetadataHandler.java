package io.tributary.core.protocol.handlers;

import io.tributary.core.BrokerServices;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.BrokerEndpoints;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TopicErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Metadata: brokers, cluster id, controller and topics with their ids and partition leaders.
 * Missing topics are created first when both the request and auto.create.topics.enable allow it.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, MetadataRequest request) {
        BrokerServices broker = context.broker();
        List<MetadataRequestTopic> requested = request.data().topics();
        boolean allTopics = requested == null || (context.apiVersion() == 0 && requested.isEmpty());
        boolean mayCreate = request.data().allowAutoTopicCreation() && broker.config().autoCreateTopicsEnable();

        List<Future<?>> creations = new ArrayList<>();
        if (!allTopics && mayCreate) {
            MetadataImage image = broker.topics().image();
            for (MetadataRequestTopic topic : requested) {
                if (topic.name() != null && image.topic(topic.name()).isEmpty()) {
                    creations.add(AutoCreate.topic(broker, topic.name()));
                }
            }
        }
        return Future.join(creations).transform(ignored ->
                Future.succeededFuture(respond(context, request, requested, allTopics)));
    }

    private ApiMessage respond(RequestContext context, MetadataRequest request, List<MetadataRequestTopic> requested,
                               boolean allTopics) {
        BrokerServices broker = context.broker();
        MetadataImage image = broker.topics().image();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(broker.clusterId())
                .setControllerId(broker.cluster().membership().controllerId())
                .setClusterAuthorizedOperations(Integer.MIN_VALUE);
        Set<Integer> live = new HashSet<>();
        for (BrokerEndpoints.Endpoint endpoint : BrokerEndpoints.liveBrokers(context)) {
            live.add(endpoint.nodeId());
            response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(endpoint.nodeId())
                    .setHost(endpoint.host())
                    .setPort(endpoint.port())
                    .setRack(endpoint.rack()));
        }
        boolean withOperations = request.data().includeTopicAuthorizedOperations();
        if (allTopics) {
            image.topics().stream()
                    .sorted((a, b) -> a.name().compareTo(b.name()))
                    .forEach(t -> response.topics().add(describe(t, live, withOperations)));
            return response;
        }
        for (MetadataRequestTopic topic : requested) {
            if (topic.name() == null) {
                Uuid id = topic.topicId();
                response.topics().add(image.topic(id)
                        .map(t -> describe(t, live, withOperations))
                        .orElseGet(() -> new MetadataResponseTopic()
                                .setTopicId(id)
                                .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
            } else {
                response.topics().add(image.topic(topic.name())
                        .map(t -> describe(t, live, withOperations))
                        .orElseGet(() -> new MetadataResponseTopic()
                                .setName(topic.name())
                                .setErrorCode(TopicErrors.forMissingTopic(topic.name()).code())));
            }
        }
        return response;
    }

    private static MetadataResponseTopic describe(TopicInfo topic, Set<Integer> live, boolean withOperations) {
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(topic.isInternal())
                .setTopicAuthorizedOperations(withOperations ? TopicErrors.ALL_TOPIC_OPERATIONS : Integer.MIN_VALUE);
        for (int p = 0; p < topic.partitionCount(); p++) {
            PartitionState state = topic.partition(p);
            boolean leaderLive = state.hasLeader() && live.contains(state.leader());
            List<Integer> offline = state.replicas().stream().filter(id -> !live.contains(id)).toList();
            result.partitions().add(new MetadataResponsePartition()
                    .setPartitionIndex(p)
                    .setErrorCode(leaderLive ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                    .setLeaderId(leaderLive ? state.leader() : -1)
                    .setLeaderEpoch(state.leaderEpoch())
                    .setReplicaNodes(state.replicas())
                    .setIsrNodes(state.isr())
                    .setOfflineReplicas(offline));
        }
        return result;
    }
}
