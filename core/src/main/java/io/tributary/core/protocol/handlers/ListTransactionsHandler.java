package io.tributary.core.protocol.handlers;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.txn.TxnMetadata;
import io.tributary.core.txn.TxnState;
import io.vertx.core.Future;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListTransactionsRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ListTransactions (kafka-transactions list, Admin.listTransactions): filtered by state names, producer ids,
 * (v1) how long the transaction has been open and (v2) a regular expression on the transactional id.
 */
public final class ListTransactionsHandler implements ApiHandler<ListTransactionsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, ListTransactionsRequest request) {
        ListTransactionsRequestData d = request.data();
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        Set<TxnState> states = new HashSet<>();
        for (String name : d.stateFilters()) {
            TxnState state = byDisplayName(name);
            if (state == null) {
                response.unknownStateFilters().add(name);
            } else {
                states.add(state);
            }
        }
        Set<Long> producerIds = new HashSet<>(d.producerIdFilters());
        long now = context.broker().clock().millis();
        long minDurationMs = context.apiVersion() >= 1 ? d.durationFilter() : -1L;
        Pattern pattern;
        try {
            String regex = context.apiVersion() >= 2 ? d.transactionalIdPattern() : null;
            pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return Future.succeededFuture(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
        }
        Pattern idPattern = pattern;
        Predicate<TxnMetadata> filter = m -> (states.isEmpty() || states.contains(m.state()))
                && (producerIds.isEmpty() || producerIds.contains(m.producerId()))
                && (minDurationMs < 0 || (m.state() == TxnState.ONGOING && now - m.startTimestampMs() >= minDurationMs))
                && (idPattern == null || idPattern.matcher(m.transactionalId()).matches());
        return context.broker().transactions().list(filter).map(found -> {
            List<TransactionState> out = new ArrayList<>();
            found.forEach(t -> out.add(new TransactionState()
                    .setTransactionalId(t.transactionalId())
                    .setProducerId(t.producerId())
                    .setTransactionState(t.state().displayName())));
            return response.setTransactionStates(out);
        });
    }

    private static TxnState byDisplayName(String name) {
        for (TxnState s : TxnState.values()) {
            if (s.displayName().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
