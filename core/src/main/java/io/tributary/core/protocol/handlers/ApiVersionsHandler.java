package io.tributary.core.protocol.handlers;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.ApiVersionTable;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/** ApiVersions: the advertised table. No finalized features, so clients stay on transaction version 1. */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, ApiVersionsRequest request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setApiKeys(ApiVersionTable.toApiVersions())
                .setFinalizedFeaturesEpoch(-1L);
        if (context.apiVersion() >= 3 && !request.isValid()) {
            response.setErrorCode(org.apache.kafka.common.protocol.Errors.INVALID_REQUEST.code());
        }
        return Future.succeededFuture(response);
    }
}
