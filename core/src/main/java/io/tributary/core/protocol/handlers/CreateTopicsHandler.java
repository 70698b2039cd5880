package io.tributary.core.protocol.handlers;

import io.tributary.core.BrokerServices;
import io.tributary.core.config.TopicConfigValue;
import io.tributary.core.config.TopicConfigs;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TopicConfigResponses;
import io.tributary.core.protocol.TopicErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CreateTopics with Kafka's defaults (-1 partitions or replication factor means the broker default),
 * config validation, manual assignments and validate_only. A single broker holds one replica, so a
 * larger replication factor is refused with Kafka's error and message.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequest> {


    @Override
    public Future<ApiMessage> handle(RequestContext context, CreateTopicsRequest request) {
        BrokerServices broker = context.broker();
        boolean validateOnly = request.data().validateOnly();
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        request.data().topics().forEach(t -> {
            if (!seen.add(t.name())) {
                duplicates.add(t.name());
            }
        });
        List<Future<Void>> creations = new ArrayList<>();
        for (CreatableTopic topic : request.data().topics()) {
            CreatableTopicResult result = new CreatableTopicResult()
                    .setName(topic.name())
                    .setNumPartitions(-1)
                    .setReplicationFactor((short) -1);
            response.topics().add(result);
            if (duplicates.contains(topic.name())) {
                fail(result, Errors.INVALID_REQUEST, "Create topics request from client contains multiple entries "
                        + "for the topic " + topic.name());
                continue;
            }
            try {
                int partitions = partitionCount(broker, topic);
                int replicationFactor = replicationFactor(broker, topic);
                List<List<Integer>> assignments = assignments(topic);
                Map<String, String> configs = configs(topic);
                creations.add(broker.topics().create(topic.name(), partitions, replicationFactor, assignments, configs,
                                validateOnly)
                        .<Void>map(created -> {
                            describe(result, created, broker, context.apiVersion() >= 5);
                            return null;
                        })
                        .recover(e -> {
                            fail(result, TopicErrors.of(e), e.getMessage());
                            return Future.succeededFuture();
                        }));
            } catch (TopicException e) {
                fail(result, TopicErrors.of(e), e.getMessage());
            }
        }
        return Future.join(creations).transform(ignored -> Future.succeededFuture(response));
    }

    private static int partitionCount(BrokerServices broker, CreatableTopic topic) {
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
                throw new TopicException(TopicException.Reason.INVALID_PARTITIONS, "Both numPartitions or "
                        + "replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            return topic.assignments().size();
        }
        if (topic.numPartitions() == -1) {
            return broker.config().numPartitions();
        }
        if (topic.numPartitions() < 1) {
            throw new TopicException(TopicException.Reason.INVALID_PARTITIONS,
                    "Number of partitions was set to an invalid non-positive value.");
        }
        return topic.numPartitions();
    }

    /** The replica lists asked for, by partition index, or null to let the controller place the replicas. */
    private static List<List<Integer>> assignments(CreatableTopic topic) {
        if (topic.assignments().isEmpty()) {
            return null;
        }
        Map<Integer, List<Integer>> byIndex = new HashMap<>();
        for (CreatableReplicaAssignment assignment : topic.assignments()) {
            byIndex.put(assignment.partitionIndex(), assignment.brokerIds());
        }
        List<List<Integer>> result = new ArrayList<>();
        for (int p = 0; p < topic.assignments().size(); p++) {
            if (!byIndex.containsKey(p)) {
                throw new TopicException(TopicException.Reason.INVALID_PARTITIONS,
                        "Partitions should be 0-based and consecutive; partition " + p + " has no assignment");
            }
            result.add(byIndex.get(p));
        }
        return result;
    }

    /** The replication factor asked for (-1: the controller's default), checked against the live brokers. */
    private static int replicationFactor(BrokerServices broker, CreatableTopic topic) {
        if (!topic.assignments().isEmpty()) {
            return -1;
        }
        int factor = topic.replicationFactor();
        if (factor == -1) {
            factor = broker.config().defaultReplicationFactor();
        }
        if (factor < 1) {
            throw new TopicException(TopicException.Reason.INVALID_REPLICATION_FACTOR,
                    "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        int brokers = broker.cluster().membership().members().size();
        if (factor > brokers) {
            throw new TopicException(TopicException.Reason.INVALID_REPLICATION_FACTOR,
                    "Unable to replicate the partition " + factor + " time(s): The target replication factor of "
                            + factor + " cannot be reached because only " + brokers + " broker(s) are registered.");
        }
        return topic.replicationFactor();
    }

    private static Map<String, String> configs(CreatableTopic topic) {
        Map<String, String> configs = new HashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            if (config.value() != null) {
                configs.put(config.name(), config.value());
            }
        }
        return configs;
    }

    private static void describe(CreatableTopicResult result, TopicInfo topic, BrokerServices broker,
                                 boolean withConfigs) {
        result.setErrorCode(Errors.NONE.code())
                .setTopicId(topic.id())
                .setNumPartitions(topic.partitionCount())
                .setReplicationFactor((short) topic.partition(0).replicas().size());
        if (!withConfigs) {
            // The configs of the created topic are part of the response from v5 on only.
            return;
        }
        for (TopicConfigValue value : TopicConfigs.describe(topic.configs(), broker.config()).values()) {
            result.configs().add(new CreatableTopicConfigs()
                    .setName(value.name())
                    .setValue(value.value())
                    .setReadOnly(value.readOnly())
                    .setConfigSource(TopicConfigResponses.source(value).id())
                    .setIsSensitive(value.isSensitive()));
        }
    }

    private static void fail(CreatableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}
