package io.tributary.core.protocol.handlers;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.LogErrors;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TopicErrors;
import io.tributary.storage.ActiveProducer;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeProducersRequest;

import java.util.ArrayList;
import java.util.List;

/** DescribeProducers (kafka-transactions describe-producers): the producer state each partition's log keeps. */
public final class DescribeProducersHandler implements ApiHandler<DescribeProducersRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeProducersRequest request) {
        MetadataImage image = context.broker().topics().image();
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        List<Future<Void>> reads = new ArrayList<>();
        for (TopicRequest topic : request.data().topics()) {
            TopicResponse out = new TopicResponse().setName(topic.name());
            response.topics().add(out);
            for (int index : topic.partitionIndexes()) {
                PartitionResponse result = new PartitionResponse().setPartitionIndex(index);
                out.partitions().add(result);
                Partition partition = image.topic(topic.name()).isEmpty() ? null
                        : context.broker().partitions().get(new TopicPartition(topic.name(), index));
                if (partition == null) {
                    Errors error = image.topic(topic.name()).isEmpty() ? TopicErrors.forMissingTopic(topic.name())
                            : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    result.setErrorCode(error.code()).setErrorMessage(error.message());
                    continue;
                }
                reads.add(ContextHop.call(partition.owner(), () -> partition.log().activeProducers())
                        .<Void>map(producers -> {
                            for (ActiveProducer p : producers) {
                                result.activeProducers().add(new ProducerState()
                                        .setProducerId(p.producerId())
                                        .setProducerEpoch(p.epoch())
                                        .setLastSequence(p.lastSequence())
                                        .setLastTimestamp(p.lastTimestamp())
                                        .setCoordinatorEpoch(-1)
                                        .setCurrentTxnStartOffset(p.currentTxnStartOffset()));
                            }
                            return null;
                        })
                        .recover(e -> {
                            Errors error = LogErrors.of(e);
                            result.setErrorCode(error.code()).setErrorMessage(e.getMessage());
                            return Future.succeededFuture();
                        }));
            }
        }
        return Future.join(reads).transform(ignored -> Future.succeededFuture(response));
    }
}
