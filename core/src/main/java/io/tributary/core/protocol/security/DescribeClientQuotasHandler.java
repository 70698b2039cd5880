package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;

import java.util.List;

/**
 * DescribeClientQuotas: this broker enforces no client quotas, so there are none to describe. Served because
 * kafka-configs --describe --entity-type users asks for quotas beside the SCRAM credentials.
 */
public final class DescribeClientQuotasHandler implements ApiHandler<DescribeClientQuotasRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeClientQuotasRequest request) {
        if (!Authz.cluster(context, AclOperation.DESCRIBE_CONFIGS)) {
            return Future.succeededFuture(new DescribeClientQuotasResponseData()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        return Future.succeededFuture(new DescribeClientQuotasResponseData().setErrorCode(Errors.NONE.code())
                .setEntries(List.of()));
    }
}
