package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.vertx.core.Future;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;

import java.util.ArrayList;
import java.util.List;

/** DeleteAcls (kafka-acls --remove): ALTER on the cluster; each filter removes and reports what it matched. */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DeleteAclsRequest request) {
        List<AclBindingFilter> filters = request.filters();
        BrokerSecurity security = context.connection().session().security();
        if (security == null || !Authz.cluster(context, AclOperation.ALTER)) {
            List<DeleteAclsFilterResult> results = new ArrayList<>();
            filters.forEach(f -> results.add(new DeleteAclsFilterResult()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message())));
            return Future.succeededFuture(new DeleteAclsResponseData().setFilterResults(results));
        }
        return security.vertx().executeBlocking(() -> {
            List<DeleteAclsFilterResult> results = new ArrayList<>();
            for (AclBindingFilter filter : filters) {
                List<AclBinding> removed = security.acls().remove(filter);
                DeleteAclsFilterResult result = new DeleteAclsFilterResult();
                removed.forEach(b -> result.matchingAcls().add(DeleteAclsResponse.matchingAcl(b, ApiError.NONE)));
                results.add(result);
            }
            return new DeleteAclsResponseData().setFilterResults(results);
        });
    }
}
