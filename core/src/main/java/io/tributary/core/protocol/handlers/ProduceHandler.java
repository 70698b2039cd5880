package io.tributary.core.protocol.handlers;

import io.tributary.core.BrokerServices;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.KafkaRecordCodec;
import io.tributary.core.protocol.LogErrors;
import io.tributary.core.protocol.RequestContext;
import io.tributary.storage.AppendResult;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Produce: each partition's batch is validated and appended on the partition's own event loop, as
 * the bytes the producer sent (offsets assigned in place), and acknowledged once appended. With
 * acks=0 nothing is sent back.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, ProduceRequest request) {
        short acks = request.acks();
        short version = context.apiVersion();
        BrokerServices broker = context.broker();
        MetadataImage image = broker.topics().image();

        ProduceResponseData response = new ProduceResponseData();
        List<Future<Void>> appends = new ArrayList<>();
        for (TopicProduceData topicData : request.data().topicData()) {
            Optional<TopicInfo> topic = version >= 13 ? image.topic(topicData.topicId()) : image.topic(topicData.name());
            TopicProduceResponse topicResponse = new TopicProduceResponse()
                    .setName(topic.map(TopicInfo::name).orElse(topicData.name()))
                    .setTopicId(topicData.topicId());
            response.responses().add(topicResponse);
            for (PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse result = new PartitionProduceResponse()
                        .setIndex(partitionData.index())
                        .setBaseOffset(-1L)
                        .setLogAppendTimeMs(-1L)
                        .setLogStartOffset(-1L);
                topicResponse.partitionResponses().add(result);
                if (acks != 0 && acks != 1 && acks != -1) {
                    fail(result, Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, was " + acks);
                } else if (topic.isEmpty()) {
                    fail(result, version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                } else {
                    appends.add(append(broker, topic.get(), partitionData, version, request.data().transactionalId(),
                            result));
                }
            }
        }
        return Future.join(appends).transform(ignored ->
                Future.succeededFuture(acks == 0 ? null : response));
    }

    private static Future<Void> append(BrokerServices broker, TopicInfo topic, PartitionProduceData data,
                                       short version, String transactionalId, PartitionProduceResponse result) {
        Partition partition = broker.partitions().get(new TopicPartition(topic.name(), data.index()));
        if (partition == null) {
            fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            return Future.succeededFuture();
        }
        MemoryRecords records = (MemoryRecords) data.records();
        try {
            ProduceRequest.validateRecords(version, records);
        } catch (RuntimeException e) {
            fail(result, Errors.forException(e), e.getMessage());
            return Future.succeededFuture();
        }
        if (partition.config().cleanup().compact()) {
            String keyless;
            try {
                keyless = KafkaRecordCodec.keylessRecord(records);
            } catch (RuntimeException e) {
                keyless = null; // not decodable: the log's own validation answers it
            }
            if (keyless != null) {
                fail(result, Errors.INVALID_RECORD, keyless);
                return Future.succeededFuture();
            }
        }
        // With flush.messages due, the acknowledgement waits for the fsync (group-committed, off the event loop).
        return TransactionalProduce.verify(broker, partition, transactionalId, records)
                .compose(error -> {
                    if (error != Errors.NONE) {
                        fail(result, error, "the batch is not part of an open transaction of its producer"
                                + " at this epoch (" + error.name() + ")");
                        return Future.succeededFuture(null);
                    }
                    return ContextHop.compose(partition.owner(), () -> partition.appendAndFlushIfDue(records.buffer()))
                            .<Void>map(appended -> {
                                succeed(result, appended);
                                return null;
                            });
                })
                .recover(e -> {
                    fail(result, LogErrors.of(e), e.getMessage());
                    return Future.succeededFuture();
                });
    }

    private static void succeed(PartitionProduceResponse result, AppendResult appended) {
        result.setErrorCode(Errors.NONE.code())
                .setBaseOffset(appended.baseOffset())
                .setLogAppendTimeMs(appended.logAppendTime())
                .setLogStartOffset(appended.logStartOffset());
    }

    private static void fail(PartitionProduceResponse result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message != null ? message : error.message());
    }
}
