package io.tributary.core.protocol.handlers;

import io.tributary.core.cluster.ControllerClient;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TopicErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * AlterPartitionReassignments (kafka-reassign-partitions --execute / --cancel): each partition's new replica list
 * goes to the controller, which adds the new replicas, waits until they are in sync and then drops the old ones.
 * A null replica list cancels the partition's reassignment.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler<AlterPartitionReassignmentsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, AlterPartitionReassignmentsRequest request) {
        ControllerClient controller = context.broker().cluster().controller();
        boolean mayChangeFactor = context.apiVersion() < 1 || request.data().allowReplicationFactorChange();
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setErrorCode(Errors.NONE.code());
        List<Future<Void>> changes = new ArrayList<>();
        for (ReassignableTopic topic : request.data().topics()) {
            ReassignableTopicResponse topicResponse = new ReassignableTopicResponse().setName(topic.name());
            response.responses().add(topicResponse);
            var info = context.broker().topics().image().topic(topic.name());
            for (ReassignablePartition p : topic.partitions()) {
                ReassignablePartitionResponse result = new ReassignablePartitionResponse()
                        .setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(result);
                String problem = check(p, info.map(t -> p.partitionIndex() < t.partitionCount()
                        ? t.partition(p.partitionIndex()).replicas().size() : -1).orElse(-1), mayChangeFactor);
                if (info.isEmpty() || (problem != null && problem.isEmpty())) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                if (problem != null) {
                    result.setErrorCode(Errors.INVALID_REPLICA_ASSIGNMENT.code()).setErrorMessage(problem);
                    continue;
                }
                List<Integer> target = p.replicas() == null ? List.of() : p.replicas();
                changes.add(controller.reassign(topic.name(), p.partitionIndex(), target)
                        .<Void>map(state -> {
                            result.setErrorCode(Errors.NONE.code());
                            return null;
                        })
                        .recover(e -> {
                            Errors error = e instanceof TopicException te
                                    && te.reason() == TopicException.Reason.INVALID_PARTITIONS && target.isEmpty()
                                    ? Errors.NO_REASSIGNMENT_IN_PROGRESS
                                    : e instanceof TopicException te2
                                    && te2.reason() == TopicException.Reason.INVALID_REPLICATION_FACTOR
                                    ? Errors.INVALID_REPLICA_ASSIGNMENT : TopicErrors.of(e);
                            result.setErrorCode(error.code()).setErrorMessage(e.getMessage());
                            return Future.succeededFuture();
                        }));
            }
        }
        return Future.join(changes).transform(ignored -> Future.succeededFuture(response));
    }

    /** Why the target cannot be taken ("" for a partition that does not exist), or null. */
    private static String check(ReassignablePartition p, int currentFactor, boolean mayChangeFactor) {
        if (currentFactor < 0) {
            return "";
        }
        if (p.replicas() == null) {
            return null;
        }
        if (p.replicas().isEmpty()) {
            return "The replica list is empty";
        }
        if (new HashSet<>(p.replicas()).size() != p.replicas().size()) {
            return "The replica list " + p.replicas() + " names a broker twice";
        }
        if (!mayChangeFactor && p.replicas().size() != currentFactor) {
            return "The replication factor would change from " + currentFactor + " to " + p.replicas().size();
        }
        return null;
    }
}
