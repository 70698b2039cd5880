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
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.TopicConfigs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Produce: each partition's batch is validated and appended on the partition's own event loop by its
 * leader, as the bytes the producer sent (offsets assigned in place). acks=1 is acknowledged once
 * appended; acks=all is refused up front when the ISR is smaller than min.insync.replicas, and
 * acknowledged once the high watermark passes the records (every in-sync replica has them), or
 * answered REQUEST_TIMED_OUT after the request's timeout. With acks=0 nothing is sent back.
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
                            acks, request.data().timeoutMs(), result));
                }
            }
        }
        return Future.join(appends).transform(ignored ->
                Future.succeededFuture(acks == 0 ? null : response));
    }

    private static Future<Void> append(BrokerServices broker, TopicInfo topic, PartitionProduceData data,
                                       short version, String transactionalId, short acks, int timeoutMs,
                                       PartitionProduceResponse result) {
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
                    int minInsync = acks == -1 ? minInsyncReplicas(broker, topic) : 0;
                    return ContextHop.compose(partition.owner(), () -> {
                        if (acks == -1 && partition.isLeader() && partition.inSyncReplicaCount() < minInsync) {
                            throw new NotEnoughReplicasException("The ISR of " + partition.topicPartition() + " is "
                                    + partition.state().isr() + ", fewer than min.insync.replicas " + minInsync);
                        }
                        Future<AppendResult> appended = partition.appendAndFlushIfDue(records.buffer());
                        if (acks != -1) {
                            return appended;
                        }
                        return appended.compose(a -> withTimeout(broker, partition.awaitReplication(a.lastOffset() + 1,
                                minInsync), timeoutMs, partition).map(a));
                    }).<Void>map(appended -> {
                        succeed(result, appended);
                        return null;
                    });
                })
                .recover(e -> {
                    fail(result, LogErrors.of(e), e.getMessage());
                    return Future.succeededFuture();
                });
    }

    /** Resolved min.insync.replicas per broker config and topic overrides (resolving parses every override). */
    private record MinInsyncKey(BrokerConfig broker, Map<String, String> overrides) {
    }

    private static final Map<MinInsyncKey, Integer> MIN_INSYNC = new ConcurrentHashMap<>();

    private static int minInsyncReplicas(BrokerServices broker, TopicInfo topic) {
        return MIN_INSYNC.computeIfAbsent(new MinInsyncKey(broker.config(), topic.configs()), key -> {
            Object value = TopicConfigs.effective(key.overrides(), key.broker()).get(TopicConfigs.MIN_INSYNC_REPLICAS);
            return value instanceof Number n ? n.intValue() : 1;
        });
    }

    /** The replication wait, ended by the producer's request timeout (as Kafka's delayed produce is). */
    private static Future<Void> withTimeout(BrokerServices broker, Future<Void> replication, int timeoutMs,
                                            Partition partition) {
        if (replication.isComplete()) {
            return replication;
        }
        Promise<Void> bounded = Promise.promise();
        long timer = broker.vertx().setTimer(Math.max(1, timeoutMs), id -> bounded.tryFail(new TimeoutException(
                "The records were appended to " + partition.topicPartition() + " but not replicated to every in-sync"
                        + " replica within " + timeoutMs + " ms")));
        replication.onComplete(ar -> {
            broker.vertx().cancelTimer(timer);
            if (ar.succeeded()) {
                bounded.tryComplete();
            } else {
                bounded.tryFail(ar.cause());
            }
        });
        return bounded.future();
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
