package io.tributary.core.protocol.handlers;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TxnErrors;
import io.tributary.core.txn.TxnMessages.EndRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.EndTxnRequest;

/**
 * EndTxn (v0-4, transaction.version 1): commits or aborts the producer's transaction. Answered once the markers
 * are in every partition of the transaction, so a read_committed consumer can see the outcome right away.
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, EndTxnRequest request) {
        EndTxnRequestData d = request.data();
        return context.broker().transactions()
                .endTransaction(new EndRequest(d.transactionalId(), d.producerId(), d.producerEpoch(), d.committed()))
                .map(error -> new EndTxnResponseData()
                        .setErrorCode(TxnErrors.code(error))
                        .setProducerId(-1L)
                        .setProducerEpoch((short) -1));
    }
}
