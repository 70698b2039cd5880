package io.tributary.core.protocol.handlers;

import io.tributary.core.group.Assignment;
import io.tributary.core.group.ConsumerMessages.HeartbeatRequest;
import io.tributary.core.group.ConsumerMessages.HeartbeatResult;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.ClientAddress;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData.TopicPartitions;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;

import java.util.ArrayList;
import java.util.List;

/** ConsumerGroupHeartbeat: the whole consumer group protocol (KIP-848) in one API. */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, ConsumerGroupHeartbeatRequest request) {
        short version = context.apiVersion();
        ConsumerGroupHeartbeatRequestData d = request.data();
        Assignment owned = null;
        if (d.topicPartitions() != null) {
            Assignment.Builder b = new Assignment.Builder();
            for (TopicPartitions tp : d.topicPartitions()) {
                tp.partitions().forEach(p -> b.add(tp.topicId(), p));
            }
            owned = b.build();
        }
        HeartbeatRequest heartbeat = new HeartbeatRequest(d.groupId(), d.memberId(), d.memberEpoch(),
                d.instanceId(), d.rackId(), d.rebalanceTimeoutMs(), d.subscribedTopicNames(),
                version >= 1 ? d.subscribedTopicRegex() : null, d.serverAssignor(), owned, version >= 1,
                ClientAddress.clientId(context), ClientAddress.host(context));
        return context.broker().groups().consumerGroupHeartbeat(heartbeat).map(ConsumerGroupHeartbeatHandler::toResponse);
    }

    private static ApiMessage toResponse(HeartbeatResult r) {
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(GroupErrors.code(r.error()))
                .setErrorMessage(r.errorMessage())
                .setMemberId(r.memberId())
                .setMemberEpoch(r.memberEpoch())
                .setHeartbeatIntervalMs(r.heartbeatIntervalMs());
        if (r.assignment() != null) {
            List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics = new ArrayList<>();
            for (Uuid topic : r.assignment().topics()) {
                topics.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                        .setTopicId(topic)
                        .setPartitions(new ArrayList<>(r.assignment().partitions(topic))));
            }
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(topics));
        }
        return response;
    }
}
