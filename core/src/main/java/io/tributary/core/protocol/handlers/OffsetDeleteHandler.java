package io.tributary.core.protocol.handlers;

import io.tributary.core.group.GroupError;
import io.tributary.core.group.OffsetMessages.DeleteRequest;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetDeleteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** OffsetDelete: removes committed offsets of topics the group no longer subscribes to. */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, OffsetDeleteRequest request) {
        MetadataImage image = context.broker().topics().image();
        List<TopicPartition> known = new ArrayList<>();
        for (OffsetDeleteRequestTopic topic : request.data().topics()) {
            Optional<TopicInfo> info = image.topic(topic.name());
            for (OffsetDeleteRequestPartition p : topic.partitions()) {
                if (info.isPresent() && p.partitionIndex() >= 0 && p.partitionIndex() < info.get().partitionCount()) {
                    known.add(new TopicPartition(topic.name(), p.partitionIndex()));
                }
            }
        }
        String groupId = request.data().groupId();
        return context.broker().groups().deleteOffsets(new DeleteRequest(groupId, known)).map(result -> {
            OffsetDeleteResponseData response = new OffsetDeleteResponseData()
                    .setErrorCode(GroupErrors.code(result.error()));
            if (result.error() != GroupError.NONE) {
                return response;
            }
            for (OffsetDeleteRequestTopic topic : request.data().topics()) {
                OffsetDeleteResponseTopic out = new OffsetDeleteResponseTopic().setName(topic.name());
                response.topics().add(out);
                for (OffsetDeleteRequestPartition p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    GroupError error = result.partitions().get(tp);
                    out.partitions().add(new OffsetDeleteResponsePartition()
                            .setPartitionIndex(p.partitionIndex())
                            .setErrorCode(error == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION.code()
                                    : GroupErrors.code(error)));
                }
            }
            return response;
        });
    }
}
