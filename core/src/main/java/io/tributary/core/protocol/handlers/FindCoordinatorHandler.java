package io.tributary.core.protocol.handlers;

import io.tributary.core.BrokerServices;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.BrokerEndpoints;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.txn.TransactionCoordinator;
import io.vertx.core.Future;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

import java.util.List;

/**
 * FindCoordinator, single (v0-3) and batched (v4+): a group's coordinator is the leader of its
 * __consumer_offsets partition, a transactional id's the leader of its __transaction_state partition.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    @Override
    public Future<ApiMessage> handle(RequestContext context, FindCoordinatorRequest request) {
        short version = context.apiVersion();
        byte keyType = version >= 1 ? request.data().keyType() : GROUP;
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        List<String> keys = version >= 4 ? request.data().coordinatorKeys() : List.of(request.data().key());
        for (String key : keys) {
            Coordinator c = answer(context, key, keyType);
            if (version >= 4) {
                response.coordinators().add(c);
            } else {
                response.setErrorCode(c.errorCode())
                        .setErrorMessage(version >= 1 ? c.errorMessage() : null)
                        .setNodeId(c.nodeId())
                        .setHost(c.host())
                        .setPort(c.port());
            }
        }
        return Future.succeededFuture(response);
    }

    private static Coordinator answer(RequestContext context, String key, byte keyType) {
        Coordinator c = new Coordinator().setKey(key);
        Errors error = Errors.NONE;
        String message = null;
        if (keyType != GROUP && keyType != TRANSACTION) {
            error = Errors.INVALID_REQUEST;
            message = "Unknown coordinator key type " + keyType;
        } else if (key == null || key.isEmpty()) {
            error = Errors.INVALID_REQUEST;
            message = keyType == GROUP ? "The group id must not be empty" : "The transactional id must not be empty";
        }
        if (error != Errors.NONE) {
            return c.setErrorCode(error.code()).setErrorMessage(message).setNodeId(-1).setHost("").setPort(-1);
        }
        BrokerEndpoints.Endpoint coordinator = coordinatorOf(context, key, keyType);
        if (coordinator == null) {
            return c.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("The coordinator's partition has no live leader right now")
                    .setNodeId(-1).setHost("").setPort(-1);
        }
        return c.setErrorCode(Errors.NONE.code()).setNodeId(coordinator.nodeId()).setHost(coordinator.host())
                .setPort(coordinator.port());
    }

    /** The leader of the internal partition that holds the key's state: __consumer_offsets or __transaction_state. */
    private static BrokerEndpoints.Endpoint coordinatorOf(RequestContext context, String key, byte keyType) {
        BrokerServices broker = context.broker();
        String topic = keyType == GROUP ? GroupCoordinator.OFFSETS_TOPIC : TransactionCoordinator.STATE_TOPIC;
        int partition = keyType == GROUP ? broker.groups().partitionFor(key) : broker.transactions().partitionFor(key);
        PartitionState state = broker.topics().image().topic(topic)
                .filter(t -> partition < t.partitionCount())
                .map(t -> t.partition(partition))
                .orElse(null);
        if (state == null || !state.hasLeader()) {
            return null;
        }
        return BrokerEndpoints.of(context, state.leader());
    }
}
