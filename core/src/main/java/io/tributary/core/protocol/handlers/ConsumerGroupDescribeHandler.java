package io.tributary.core.protocol.handlers;

import io.tributary.core.group.Assignment;
import io.tributary.core.group.ConsumerMessages.GroupDescription;
import io.tributary.core.group.ConsumerMessages.MemberDescription;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Member;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.TopicPartitions;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * ConsumerGroupDescribe for consumer-protocol groups. A classic group gets GROUP_ID_NOT_FOUND, which
 * makes the admin client fall back to DescribeGroups, as against Kafka.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequest> {

    private static final byte MEMBER_TYPE_CONSUMER = 1;

    @Override
    public Future<ApiMessage> handle(RequestContext context, ConsumerGroupDescribeRequest request) {
        short version = context.apiVersion();
        boolean operations = request.data().includeAuthorizedOperations();
        List<Future<GroupDescription>> described = new ArrayList<>();
        for (String groupId : request.data().groupIds()) {
            described.add(context.broker().groups().describeConsumerGroup(groupId));
        }
        return Future.all(described).map(all -> {
            MetadataImage image = context.broker().topics().image();
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
            for (int i = 0; i < described.size(); i++) {
                response.groups().add(toGroup(all.resultAt(i), image, version, operations));
            }
            return response;
        });
    }

    private static DescribedGroup toGroup(GroupDescription g, MetadataImage image, short version, boolean operations) {
        DescribedGroup out = new DescribedGroup()
                .setGroupId(g.groupId())
                .setErrorCode(GroupErrors.code(g.error()))
                .setErrorMessage(g.errorMessage())
                .setGroupState(g.state())
                .setGroupEpoch(g.groupEpoch())
                .setAssignmentEpoch(g.assignmentEpoch())
                .setAssignorName(g.assignorName())
                .setAuthorizedOperations(operations ? DescribeGroupsHandler.ALL_GROUP_OPERATIONS : Integer.MIN_VALUE);
        for (MemberDescription m : g.members()) {
            Member member = new Member()
                    .setMemberId(m.memberId())
                    .setInstanceId(m.instanceId())
                    .setRackId(m.rackId())
                    .setMemberEpoch(m.memberEpoch())
                    .setClientId(m.clientId() == null ? "" : m.clientId())
                    .setClientHost(m.clientHost() == null ? "" : m.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames()))
                    .setSubscribedTopicRegex(m.subscribedTopicRegex())
                    .setAssignment(toAssignment(m.assignment(), image))
                    .setTargetAssignment(toAssignment(m.targetAssignment(), image));
            if (version >= 1) {
                member.setMemberType(MEMBER_TYPE_CONSUMER);
            }
            out.members().add(member);
        }
        return out;
    }

    private static ConsumerGroupDescribeResponseData.Assignment toAssignment(Assignment a, MetadataImage image) {
        List<TopicPartitions> topics = new ArrayList<>();
        for (Uuid topic : a.topics()) {
            topics.add(new TopicPartitions()
                    .setTopicId(topic)
                    .setTopicName(image.topic(topic).map(TopicInfo::name).orElse(""))
                    .setPartitions(new ArrayList<>(a.partitions(topic))));
        }
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(topics);
    }
}
