package io.tributary.core.protocol.handlers;

import io.tributary.core.metadata.PartitionState;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ListPartitionReassignments (kafka-reassign-partitions --verify): the reassignments in progress, with the replicas
 * being added and removed.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler<ListPartitionReassignmentsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, ListPartitionReassignmentsRequest request) {
        List<ListPartitionReassignmentsTopics> wanted = request.data().topics();
        return context.broker().cluster().controller().listReassignments().map(ongoing -> {
            Map<String, OngoingTopicReassignment> byTopic = new TreeMap<>();
            ongoing.forEach((key, state) -> {
                int slash = key.lastIndexOf('/');
                String topic = key.substring(0, slash);
                int partition = Integer.parseInt(key.substring(slash + 1));
                if (wanted != null && wanted.stream().noneMatch(t -> t.name().equals(topic)
                        && t.partitionIndexes().contains(partition))) {
                    return;
                }
                byTopic.computeIfAbsent(topic, t -> new OngoingTopicReassignment().setName(t)).partitions()
                        .add(describe(partition, state));
            });
            return (ApiMessage) new ListPartitionReassignmentsResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setTopics(new ArrayList<>(byTopic.values()));
        });
    }

    private static OngoingPartitionReassignment describe(int partition, PartitionState state) {
        List<Integer> adding = new ArrayList<>();
        List<Integer> removing = new ArrayList<>();
        for (int id : state.replicas()) {
            if (!state.targetReplicas().contains(id)) {
                removing.add(id);
            }
        }
        for (int id : state.targetReplicas()) {
            if (!state.isr().contains(id)) {
                adding.add(id);
            }
        }
        return new OngoingPartitionReassignment()
                .setPartitionIndex(partition)
                .setReplicas(state.replicas())
                .setAddingReplicas(adding)
                .setRemovingReplicas(removing);
    }
}
