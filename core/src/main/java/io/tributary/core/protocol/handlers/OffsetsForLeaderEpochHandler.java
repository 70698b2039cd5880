package io.tributary.core.protocol.handlers;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.LogErrors;
import io.tributary.core.protocol.RequestContext;
import io.tributary.storage.EpochEndOffset;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * OffsetsForLeaderEpoch: for each partition this broker leads, the largest leader epoch at most the one asked
 * for and the offset where it ended. A consumer that saw a leader change checks its position with it and detects
 * a log that was truncated under it (KIP-320).
 */
public final class OffsetsForLeaderEpochHandler implements ApiHandler<OffsetsForLeaderEpochRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, OffsetsForLeaderEpochRequest request) {
        MetadataImage image = context.broker().topics().image();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        List<Future<Void>> lookups = new ArrayList<>();
        for (OffsetForLeaderTopic topic : request.data().topics()) {
            OffsetForLeaderTopicResult topicResult = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            response.topics().add(topicResult);
            for (OffsetForLeaderPartition p : topic.partitions()) {
                OffsetForLeaderEpochResponseData.EpochEndOffset result = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                        .setPartition(p.partition())
                        .setLeaderEpoch(-1)
                        .setEndOffset(-1);
                topicResult.partitions().add(result);
                Partition partition = image.topic(topic.topic()).isEmpty() ? null
                        : context.broker().partitions().get(new TopicPartition(topic.topic(), p.partition()));
                if (partition == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                lookups.add(ContextHop.call(partition.owner(), () -> {
                    lookup(partition, p, result);
                    return (Void) null;
                }).recover(e -> {
                    result.setErrorCode(LogErrors.of(e).code());
                    return Future.succeededFuture();
                }));
            }
        }
        return Future.join(lookups).transform(ignored -> Future.succeededFuture(response));
    }

    private static void lookup(Partition partition, OffsetForLeaderPartition request,
                               OffsetForLeaderEpochResponseData.EpochEndOffset result) {
        if (!partition.isLeader()) {
            result.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
            return;
        }
        int current = request.currentLeaderEpoch();
        if (current >= 0 && current != partition.leaderEpoch()) {
            result.setErrorCode((current > partition.leaderEpoch()
                    ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH).code());
            return;
        }
        EpochEndOffset end = partition.endOffsetForEpoch(request.leaderEpoch());
        result.setErrorCode(Errors.NONE.code()).setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
    }
}
