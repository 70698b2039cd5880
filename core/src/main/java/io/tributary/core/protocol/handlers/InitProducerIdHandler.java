package io.tributary.core.protocol.handlers;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.producer.ProducerIdAllocator;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * InitProducerId for idempotent producers: a fresh producer id at epoch 0, as Kafka gives to a
 * producer without a transactional id (also when it asks to bump, KIP-360).
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, InitProducerIdRequest request) {
        if (request.data().transactionalId() != null) {
            return Future.succeededFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setProducerId(-1L)
                    .setProducerEpoch((short) -1));
        }
        ProducerIdAllocator allocator = context.broker().producerIds();
        return ContextHop.compose(allocator.owner(), allocator::allocate)
                .map(id -> new InitProducerIdResponseData()
                        .setProducerId(id)
                        .setProducerEpoch((short) 0));
    }
}
