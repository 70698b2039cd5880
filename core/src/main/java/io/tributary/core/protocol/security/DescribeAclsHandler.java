package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.vertx.core.Future;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;

import java.util.List;

/** DescribeAcls (kafka-acls --list): DESCRIBE on the cluster; filters with ANY and MATCH as Kafka's. */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeAclsRequest request) {
        BrokerSecurity security = context.connection().session().security();
        if (security == null || !Authz.cluster(context, AclOperation.DESCRIBE)) {
            return Future.succeededFuture(new DescribeAclsResponseData()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        AclBindingFilter filter = request.filter();
        List<AclBinding> matching = security.acls().acls().stream().filter(filter::matches).toList();
        return Future.succeededFuture(new DescribeAclsResponseData()
                .setResources(DescribeAclsResponse.aclsResources(matching)));
    }
}
