package io.tributary.core.protocol.handlers;

import io.tributary.core.group.CommittedOffset;
import io.tributary.core.group.GroupError;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.TxnCommitRequest;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * TxnOffsetCommit (v0-4): offsets committed inside a producer's transaction. The group's coordinator shard holds
 * them until the transaction's marker: they become the group's offsets only if it commits. From v3 the producer
 * sends the consumer's group metadata (member id, generation), which is checked like a plain commit's.
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, TxnOffsetCommitRequest request) {
        short version = context.apiVersion();
        TxnOffsetCommitRequestData d = request.data();
        MetadataImage image = context.broker().topics().image();
        long now = context.broker().clock().millis();
        Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
        Map<TopicPartition, Errors> refused = new HashMap<>();
        for (TxnOffsetCommitRequestTopic topic : d.topics()) {
            Optional<TopicInfo> info = image.topic(topic.name());
            for (TxnOffsetCommitRequestPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                if (info.isEmpty() || p.partitionIndex() < 0 || p.partitionIndex() >= info.get().partitionCount()) {
                    refused.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    offsets.put(tp, new CommittedOffset(p.committedOffset(),
                            version >= 2 ? p.committedLeaderEpoch() : -1,
                            p.committedMetadata() == null ? "" : p.committedMetadata(), now));
                }
            }
        }
        boolean withMember = version >= 3;
        TxnCommitRequest commit = new TxnCommitRequest(d.groupId(), d.producerId(), d.producerEpoch(),
                withMember ? d.generationId() : -1, withMember ? d.memberId() : null,
                withMember ? d.groupInstanceId() : null, offsets);
        if (offsets.isEmpty()) {
            return Future.succeededFuture(toResponse(d, new CommitResult(GroupError.NONE, Map.of()), refused));
        }
        return context.broker().groups().commitTransactionalOffsets(commit)
                .map(result -> toResponse(d, result, refused));
    }

    private static ApiMessage toResponse(TxnOffsetCommitRequestData d, CommitResult result,
                                         Map<TopicPartition, Errors> refused) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestTopic topic : d.topics()) {
            TxnOffsetCommitResponseTopic out = new TxnOffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(out);
            for (TxnOffsetCommitRequestPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                Errors error = refused.containsKey(tp) ? refused.get(tp) : GroupErrors.of(result.errorOf(tp));
                out.partitions().add(new TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
        }
        return response;
    }
}
