package io.tributary.core.protocol.handlers;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.LogErrors;
import io.tributary.core.protocol.RecordTimestamps;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TopicErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ListOffsets: earliest, latest, max timestamp, and the first offset at or after a timestamp, each
 * looked up on the partition's own event loop.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequest> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ListOffsetsHandler.class);

    @Override
    public Future<ApiMessage> handle(RequestContext context, ListOffsetsRequest request) {
        MetadataImage image = context.broker().topics().image();
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        List<Future<Void>> lookups = new ArrayList<>();
        for (ListOffsetsTopic topic : request.data().topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            response.topics().add(topicResponse);
            Optional<TopicInfo> info = image.topic(topic.name());
            for (ListOffsetsPartition p : topic.partitions()) {
                ListOffsetsPartitionResponse result = new ListOffsetsPartitionResponse()
                        .setPartitionIndex(p.partitionIndex())
                        .setTimestamp(-1L)
                        .setOffset(-1L)
                        .setLeaderEpoch(-1);
                topicResponse.partitions().add(result);
                Partition partition = info.isEmpty() ? null
                        : context.broker().partitions().get(new TopicPartition(topic.name(), p.partitionIndex()));
                if (partition == null) {
                    result.setErrorCode((info.isEmpty() ? TopicErrors.forMissingTopic(topic.name())
                            : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                    continue;
                }
                boolean withEpoch = context.apiVersion() >= 4;
                boolean readCommitted = context.apiVersion() >= 2 && request.data().isolationLevel() == 1;
                lookups.add(ContextHop.call(partition.owner(), () -> lookup(partition, p, result, withEpoch,
                                readCommitted))
                        .recover(e -> {
                            if (LogErrors.of(e) == Errors.UNKNOWN_SERVER_ERROR) {
                                LOG.warn("ListOffsets of {}-{} failed", topic.name(), p.partitionIndex(), e);
                            }
                            result.setErrorCode(LogErrors.of(e).code());
                            return Future.succeededFuture();
                        }));
            }
        }
        return Future.join(lookups).transform(ignored -> Future.succeededFuture(response));
    }

    /** Fills {@code result} for one partition; runs on the partition's owner. */
    private static Void lookup(Partition partition, ListOffsetsPartition request, ListOffsetsPartitionResponse result,
                               boolean withEpoch, boolean readCommitted) {
        if (!partition.isLeader()) {
            result.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
            return null;
        }
        int epoch = request.currentLeaderEpoch();
        if (epoch >= 0 && epoch != partition.leaderEpoch()) {
            result.setErrorCode((epoch > partition.leaderEpoch()
                    ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH).code());
            return null;
        }
        // The leader epoch field exists from v4 on; older versions must leave it at its default.
        result.setErrorCode(Errors.NONE.code()).setLeaderEpoch(withEpoch ? partition.leaderEpoch() : -1);
        long timestamp = request.timestamp();
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            result.setOffset(partition.logStartOffset());
        } else if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            // read_committed consumers see the end as the last stable offset (Kafka's ListOffsets isolation).
            result.setOffset(readCommitted ? partition.lastStableOffset() : partition.highWatermark());
        } else if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            partition.log().batchWithLargestTimestamp()
                    .map(RecordTimestamps::largest)
                    .ifPresent(found -> result.setOffset(found.offset()).setTimestamp(found.timestamp()));
        } else if (timestamp >= 0) {
            partition.log().firstBatchWithMaxTimestampAtLeast(timestamp)
                    .map(batch -> RecordTimestamps.firstAtOrAfter(batch, timestamp))
                    .ifPresent(found -> result.setOffset(found.offset()).setTimestamp(found.timestamp()));
        }
        // Other negative values (latest tiered, earliest pending upload) have no meaning without
        // tiered storage: offset -1, as Kafka answers when remote storage is off.
        return null;
    }
}
