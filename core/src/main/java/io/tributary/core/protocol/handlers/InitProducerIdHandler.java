package io.tributary.core.protocol.handlers;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.producer.ProducerIdAllocator;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TxnErrors;
import io.tributary.core.txn.TxnMessages.InitRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * InitProducerId. Without a transactional id: a fresh producer id at epoch 0, as Kafka gives an idempotent
 * producer (also when it asks to bump, KIP-360). With one: the transaction coordinator bumps the id's epoch,
 * fencing older instances of the producer and aborting a transaction they left open.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, InitProducerIdRequest request) {
        InitProducerIdRequestData d = request.data();
        if (d.transactionalId() != null) {
            boolean withExpected = context.apiVersion() >= 3 && d.producerId() >= 0;
            InitRequest init = new InitRequest(d.transactionalId(), d.transactionTimeoutMs(),
                    withExpected ? d.producerId() : -1L, withExpected ? d.producerEpoch() : (short) -1);
            return context.broker().transactions().initProducerId(init)
                    .map(r -> new InitProducerIdResponseData()
                            .setErrorCode(TxnErrors.code(r.error()))
                            .setProducerId(r.producerId())
                            .setProducerEpoch(r.producerEpoch()));
        }
        ProducerIdAllocator allocator = context.broker().producerIds();
        return ContextHop.compose(allocator.owner(), allocator::allocate)
                .map(id -> new InitProducerIdResponseData()
                        .setProducerId(id)
                        .setProducerEpoch((short) 0));
    }
}
