package io.tributary.core.protocol.handlers;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TxnErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;

/** AddOffsetsToTxn: the consumer group's __consumer_offsets partition joins the transaction (sendOffsetsToTransaction). */
public final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, AddOffsetsToTxnRequest request) {
        AddOffsetsToTxnRequestData d = request.data();
        if (d.groupId() == null || d.groupId().isEmpty()) {
            return Future.succeededFuture(new AddOffsetsToTxnResponseData()
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return context.broker().transactions()
                .addOffsets(d.transactionalId(), d.producerId(), d.producerEpoch(), d.groupId())
                .map(error -> new AddOffsetsToTxnResponseData().setErrorCode(TxnErrors.code(error)));
    }
}
