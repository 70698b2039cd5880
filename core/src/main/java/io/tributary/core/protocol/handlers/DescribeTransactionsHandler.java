package io.tributary.core.protocol.handlers;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TxnErrors;
import io.tributary.core.txn.TxnError;
import io.tributary.core.txn.TxnMessages.TxnDescription;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;

import java.util.ArrayList;
import java.util.List;

/** DescribeTransactions (kafka-transactions describe, Admin.describeTransactions). */
public final class DescribeTransactionsHandler implements ApiHandler<DescribeTransactionsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeTransactionsRequest request) {
        List<Future<TxnDescription>> lookups = new ArrayList<>();
        for (String id : request.data().transactionalIds()) {
            lookups.add(context.broker().transactions().describe(id));
        }
        return Future.all(lookups).map(all -> {
            DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
            for (int i = 0; i < lookups.size(); i++) {
                response.transactionStates().add(toState(all.resultAt(i)));
            }
            return response;
        });
    }

    private static TransactionState toState(TxnDescription t) {
        TransactionState state = new TransactionState()
                .setErrorCode(TxnErrors.code(t.error()))
                .setTransactionalId(t.transactionalId());
        if (t.error() != TxnError.NONE) {
            return state;
        }
        state.setTransactionState(t.state().displayName())
                .setTransactionTimeoutMs(t.timeoutMs())
                .setTransactionStartTimeMs(t.startTimestampMs())
                .setProducerId(t.producerId())
                .setProducerEpoch(t.producerEpoch());
        for (TopicPartition tp : t.partitions()) {
            TopicData topic = state.topics().find(tp.topic());
            if (topic == null) {
                topic = new TopicData().setTopic(tp.topic());
                state.topics().add(topic);
            }
            topic.partitions().add(tp.partition());
        }
        return state;
    }
}
