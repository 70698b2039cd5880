package io.tributary.core.protocol.handlers;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.BrokerEndpoints;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;

/** DescribeCluster: this broker as the whole cluster and its controller. */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequest> {

    private static final byte ENDPOINT_TYPE_BROKER = 1;

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeClusterRequest request) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(context.broker().clusterId())
                .setControllerId(context.broker().cluster().membership().controllerId())
                .setClusterAuthorizedOperations(Integer.MIN_VALUE)
                .setEndpointType(ENDPOINT_TYPE_BROKER);
        if (request.data().endpointType() != ENDPOINT_TYPE_BROKER) {
            return Future.succeededFuture(response
                    .setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Only broker endpoints (type 1) are served"));
        }
        for (BrokerEndpoints.Endpoint endpoint : BrokerEndpoints.liveBrokers(context)) {
            response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                    .setBrokerId(endpoint.nodeId())
                    .setHost(endpoint.host())
                    .setPort(endpoint.port())
                    .setRack(endpoint.rack()));
        }
        return Future.succeededFuture(response);
    }
}
