package io.tributary.core.protocol.handlers;

import io.tributary.core.BrokerServices;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TopicErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** CreatePartitions: grows topics (kafka-topics --alter --partitions). Partitions are never removed. */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, CreatePartitionsRequest request) {
        BrokerServices broker = context.broker();
        boolean validateOnly = request.data().validateOnly();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        request.data().topics().forEach(t -> {
            if (!seen.add(t.name())) {
                duplicates.add(t.name());
            }
        });
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        List<Future<Void>> changes = new ArrayList<>();
        for (CreatePartitionsTopic topic : request.data().topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            response.results().add(result);
            String problem = check(broker, topic, duplicates);
            if (problem != null) {
                Errors error = duplicates.contains(topic.name()) || topic.name().equals(GroupCoordinator.OFFSETS_TOPIC)
                        ? Errors.INVALID_REQUEST : Errors.INVALID_REPLICA_ASSIGNMENT;
                result.setErrorCode(error.code()).setErrorMessage(problem);
                continue;
            }
            List<List<Integer>> assignments = topic.assignments() == null ? null
                    : topic.assignments().stream().map(CreatePartitionsAssignment::brokerIds).toList();
            changes.add(broker.topics().addPartitions(topic.name(), topic.count(), assignments, validateOnly)
                    .<Void>map(grown -> {
                        result.setErrorCode(Errors.NONE.code());
                        return null;
                    })
                    .recover(e -> {
                        result.setErrorCode(TopicErrors.of(e).code()).setErrorMessage(e.getMessage());
                        return Future.succeededFuture();
                    }));
        }
        return Future.join(changes).transform(ignored -> Future.succeededFuture(response));
    }

    /** Why the request for this topic cannot be served as asked, or null. */
    private static String check(BrokerServices broker, CreatePartitionsTopic topic, Set<String> duplicates) {
        if (duplicates.contains(topic.name())) {
            return "Duplicate topic in request.";
        }
        if (topic.name().equals(GroupCoordinator.OFFSETS_TOPIC)) {
            // The partition of a group is hash(group) % partitions: more partitions would lose groups.
            return "The partitions of " + GroupCoordinator.OFFSETS_TOPIC + " cannot be changed";
        }
        if (topic.assignments() != null) {
            var info = broker.topics().image().topic(topic.name());
            int added = topic.count() - info.map(t -> t.partitionCount()).orElse(0);
            if (info.isPresent() && topic.assignments().size() != added) {
                return "Increasing the number of partitions by " + added + " but " + topic.assignments().size()
                        + " assignments provided.";
            }
            for (CreatePartitionsAssignment a : topic.assignments()) {
                for (int id : a.brokerIds()) {
                    if (!broker.cluster().membership().isAlive(id)) {
                        return "Replica assignment " + a.brokerIds() + " names broker " + id
                                + ", which is not a live broker";
                    }
                }
            }
        }
        return null;
    }
}
