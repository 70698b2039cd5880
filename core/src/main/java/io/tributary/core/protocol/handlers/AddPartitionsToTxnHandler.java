package io.tributary.core.protocol.handlers;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TxnErrors;
import io.tributary.core.txn.TxnError;
import io.tributary.core.txn.TxnMessages.AddPartitionsRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * AddPartitionsToTxn v0-3, the versions producers send (v4+ is broker-to-broker verification, not advertised).
 * If a partition does not exist it fails with UNKNOWN_TOPIC_OR_PARTITION and the others are not attempted, as in
 * Kafka.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler<AddPartitionsToTxnRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, AddPartitionsToTxnRequest request) {
        AddPartitionsToTxnRequestData d = request.data();
        Set<TopicPartition> wanted = new LinkedHashSet<>();
        Map<TopicPartition, TxnError> unknown = new LinkedHashMap<>();
        for (AddPartitionsToTxnTopic topic : d.v3AndBelowTopics()) {
            for (int p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p);
                wanted.add(tp);
                if (context.broker().partitions().get(tp) == null) {
                    unknown.put(tp, TxnError.UNKNOWN_TOPIC_OR_PARTITION);
                }
            }
        }
        if (!unknown.isEmpty()) {
            Map<TopicPartition, TxnError> result = new LinkedHashMap<>();
            wanted.forEach(tp -> result.put(tp, unknown.getOrDefault(tp, TxnError.OPERATION_NOT_ATTEMPTED)));
            return Future.succeededFuture(response(result));
        }
        AddPartitionsRequest add = new AddPartitionsRequest(d.v3AndBelowTransactionalId(), d.v3AndBelowProducerId(),
                d.v3AndBelowProducerEpoch(), wanted);
        return context.broker().transactions().addPartitions(add).map(r -> response(r.partitions()));
    }

    private static AddPartitionsToTxnResponseData response(Map<TopicPartition, TxnError> results) {
        AddPartitionsToTxnTopicResultCollection topics = new AddPartitionsToTxnTopicResultCollection();
        results.forEach((tp, error) -> {
            AddPartitionsToTxnTopicResult topic = topics.find(tp.topic());
            if (topic == null) {
                topic = new AddPartitionsToTxnTopicResult().setName(tp.topic());
                topics.add(topic);
            }
            topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                    .setPartitionIndex(tp.partition())
                    .setPartitionErrorCode(TxnErrors.code(error)));
        });
        return new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(topics);
    }
}
