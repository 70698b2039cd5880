package io.tributary.core.protocol.handlers;

import io.tributary.core.group.CommittedOffset;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OffsetCommit: partitions of unknown topics are refused here; the rest go to the group's
 * coordinator shard, which checks the member and generation (or member epoch) and stores them.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, OffsetCommitRequest request) {
        short version = context.apiVersion();
        boolean byTopicId = version >= 10;
        OffsetCommitRequestData d = request.data();
        MetadataImage image = context.broker().topics().image();
        long now = context.broker().clock().millis();
        Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
        Map<TopicPartition, Errors> refused = new HashMap<>();
        for (OffsetCommitRequestTopic topic : d.topics()) {
            Optional<TopicInfo> info = byTopicId ? image.topic(topic.topicId()) : image.topic(topic.name());
            String name = info.map(TopicInfo::name).orElse(topic.name());
            for (OffsetCommitRequestPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(name == null ? "" : name, p.partitionIndex());
                if (info.isEmpty()) {
                    refused.put(tp, byTopicId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else if (p.partitionIndex() < 0 || p.partitionIndex() >= info.get().partitionCount()) {
                    refused.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    offsets.put(tp, new CommittedOffset(p.committedOffset(),
                            version >= 6 ? p.committedLeaderEpoch() : -1, p.committedMetadata(), now));
                }
            }
        }
        CommitRequest commit = new CommitRequest(d.groupId(), d.generationIdOrMemberEpoch(), d.memberId(),
                version >= 7 ? d.groupInstanceId() : null, version >= 9, offsets);
        return context.broker().groups().commitOffsets(commit)
                .map(result -> toResponse(d, image, byTopicId, result, refused));
    }

    private static ApiMessage toResponse(OffsetCommitRequestData d, MetadataImage image, boolean byTopicId,
                                         CommitResult result, Map<TopicPartition, Errors> refused) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestTopic topic : d.topics()) {
            Optional<TopicInfo> info = byTopicId ? image.topic(topic.topicId()) : image.topic(topic.name());
            String name = info.map(TopicInfo::name).orElse(topic.name());
            OffsetCommitResponseTopic out = new OffsetCommitResponseTopic().setName(name).setTopicId(topic.topicId());
            response.topics().add(out);
            for (OffsetCommitRequestPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(name == null ? "" : name, p.partitionIndex());
                Errors error = refused.containsKey(tp) ? refused.get(tp) : GroupErrors.of(result.errorOf(tp));
                out.partitions().add(new OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
        }
        return response;
    }
}
