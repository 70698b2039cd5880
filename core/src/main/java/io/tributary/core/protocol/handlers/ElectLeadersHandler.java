package io.tributary.core.protocol.handlers;

import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ElectLeadersRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ElectLeaders (kafka-leader-election): moves leadership back to each partition's preferred replica, the first
 * of its replica list, when it is alive and in sync. Unclean election is refused: it is the controller's to do,
 * and only for topics that allow it, when no in-sync replica is left.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequest> {

    private static final byte PREFERRED = 0;

    @Override
    public Future<ApiMessage> handle(RequestContext context, ElectLeadersRequest request) {
        byte type = context.apiVersion() >= 1 ? request.data().electionType() : PREFERRED;
        MetadataImage image = context.broker().topics().image();
        Map<String, List<Integer>> targets = new LinkedHashMap<>();
        if (request.data().topicPartitions() == null) {
            for (TopicInfo topic : image.topics()) {
                List<Integer> all = new ArrayList<>();
                for (int p = 0; p < topic.partitionCount(); p++) {
                    all.add(p);
                }
                targets.put(topic.name(), all);
            }
        } else {
            for (TopicPartitions tp : request.data().topicPartitions()) {
                targets.put(tp.topic(), tp.partitions());
            }
        }
        ElectLeadersResponseData response = new ElectLeadersResponseData().setErrorCode(Errors.NONE.code());
        List<Future<Void>> elections = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> entry : targets.entrySet()) {
            ReplicaElectionResult topicResult = new ReplicaElectionResult().setTopic(entry.getKey());
            response.replicaElectionResults().add(topicResult);
            TopicInfo topic = image.topic(entry.getKey()).orElse(null);
            for (int p : entry.getValue()) {
                PartitionResult result = new PartitionResult().setPartitionId(p);
                topicResult.partitionResult().add(result);
                if (topic == null || p < 0 || p >= topic.partitionCount()) {
                    fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                } else if (type != PREFERRED) {
                    fail(result, Errors.INVALID_REQUEST, "Only preferred leader election is served");
                } else if (topic.partition(p).leader() == topic.partition(p).replicas().get(0)) {
                    fail(result, Errors.ELECTION_NOT_NEEDED, "Leader is already the preferred replica");
                } else {
                    elections.add(context.broker().cluster().controller().electPreferred(topic.name(), p)
                            .<Void>map(state -> {
                                if (state.leader() == state.replicas().get(0)) {
                                    result.setErrorCode(Errors.NONE.code());
                                } else {
                                    fail(result, Errors.PREFERRED_LEADER_NOT_AVAILABLE, "Preferred replica "
                                            + state.replicas().get(0) + " is not alive and in sync");
                                }
                                return null;
                            })
                            .recover(e -> {
                                fail(result, Errors.UNKNOWN_SERVER_ERROR, e.getMessage());
                                return Future.succeededFuture();
                            }));
                }
            }
        }
        return Future.join(elections).transform(ignored -> Future.succeededFuture(response));
    }

    private static void fail(PartitionResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message != null ? message : error.message());
    }
}
