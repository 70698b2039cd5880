package io.tributary.core.protocol.handlers;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.LogErrors;
import io.tributary.core.protocol.RequestContext;
import io.tributary.storage.PartitionLog;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DeleteRecords (Admin.deleteRecords, kafka-delete-records.sh): moves each partition's log start offset up to the
 * given offset (-1: the high watermark). On the partition's owner the log start moves at once, so fetches below it
 * get OFFSET_OUT_OF_RANGE from then on; the answer waits until the new log start is persisted, and segments now
 * wholly below it are deleted on the partition's blocking lane. As in Kafka, a topic with cleanup.policy=compact
 * alone refuses (POLICY_VIOLATION): compaction, not deletion, decides what it keeps.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DeleteRecordsRequest request) {
        MetadataImage image = context.broker().topics().image();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        List<Future<Void>> deletions = new ArrayList<>();
        for (DeleteRecordsTopic topic : request.data().topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            response.topics().add(topicResult);
            Optional<TopicInfo> info = image.topic(topic.name());
            for (DeleteRecordsPartition p : topic.partitions()) {
                DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                        .setPartitionIndex(p.partitionIndex())
                        .setLowWatermark(-1L);
                topicResult.partitions().add(result);
                Partition partition = info.isEmpty() ? null
                        : context.broker().partitions().get(new TopicPartition(topic.name(), p.partitionIndex()));
                if (partition == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                if (!partition.config().cleanup().delete()) {
                    result.setErrorCode(Errors.POLICY_VIOLATION.code());
                    continue;
                }
                deletions.add(ContextHop.compose(partition.owner(), () -> deleteBefore(partition, p.offset()))
                        .<Void>map(lowWatermark -> {
                            result.setErrorCode(Errors.NONE.code()).setLowWatermark(lowWatermark);
                            return null;
                        })
                        .recover(e -> {
                            result.setErrorCode(LogErrors.of(e).code());
                            return Future.succeededFuture();
                        }));
            }
        }
        return Future.join(deletions).transform(ignored -> Future.succeededFuture(response));
    }

    /** On the owner: the new log start offset, once persisted. */
    private static Future<Long> deleteBefore(Partition partition, long offset) throws Exception {
        if (!partition.isLeader()) {
            return Future.failedFuture(new org.apache.kafka.common.errors.NotLeaderOrFollowerException(
                    "This broker does not lead " + partition.topicPartition()));
        }
        long target = offset == DeleteRecordsRequest.HIGH_WATERMARK ? partition.highWatermark() : offset;
        if (target < 0 || target > partition.highWatermark()) {
            return Future.failedFuture(new io.tributary.storage.LogException(
                    io.tributary.storage.LogError.OFFSET_OUT_OF_RANGE, "offset " + offset
                    + " is not between 0 and the high watermark " + partition.highWatermark()));
        }
        PartitionLog.SegmentDeletion deletion = partition.log().advanceLogStartOffsetDeferred(target);
        if (deletion == null) {
            return Future.succeededFuture(partition.logStartOffset());
        }
        return partition.lane().submit(() -> {
            deletion.run();
            return deletion.logStartOffset();
        });
    }
}
