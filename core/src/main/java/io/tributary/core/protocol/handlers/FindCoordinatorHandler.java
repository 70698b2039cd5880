package io.tributary.core.protocol.handlers;

import io.tributary.core.config.Listener;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.BrokerEndpoints;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

import java.util.List;

/**
 * FindCoordinator, single (v0-3) and batched (v4+): this broker coordinates every group and every
 * transactional id.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    @Override
    public Future<ApiMessage> handle(RequestContext context, FindCoordinatorRequest request) {
        short version = context.apiVersion();
        byte keyType = version >= 1 ? request.data().keyType() : GROUP;
        Listener endpoint = BrokerEndpoints.forListener(context);
        int nodeId = context.broker().nodeId();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        List<String> keys = version >= 4 ? request.data().coordinatorKeys() : List.of(request.data().key());
        for (String key : keys) {
            Coordinator c = answer(key, keyType, nodeId, endpoint);
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

    private static Coordinator answer(String key, byte keyType, int nodeId, Listener endpoint) {
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
        return c.setErrorCode(Errors.NONE.code()).setNodeId(nodeId).setHost(endpoint.host()).setPort(endpoint.port());
    }
}
