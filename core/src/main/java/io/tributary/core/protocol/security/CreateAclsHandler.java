package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.vertx.core.Future;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.SecurityUtils;

import java.util.ArrayList;
import java.util.List;

/** CreateAcls (kafka-acls --add): ALTER on the cluster; each ACL validated as Kafka does, then stored. */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, CreateAclsRequest request) {
        List<AclCreation> creations = request.data().creations();
        BrokerSecurity security = context.connection().session().security();
        if (security == null || !Authz.cluster(context, AclOperation.ALTER)) {
            return Future.succeededFuture(results(creations, i -> Errors.CLUSTER_AUTHORIZATION_FAILED, null));
        }
        List<AclBinding> valid = new ArrayList<>();
        String[] problems = new String[creations.size()];
        for (int i = 0; i < creations.size(); i++) {
            AclCreation c = creations.get(i);
            String problem = validate(c);
            if (problem == null) {
                valid.add(CreateAclsRequest.aclBinding(c));
            }
            problems[i] = problem;
        }
        return security.vertx().executeBlocking(() -> {
            security.acls().add(valid);
            return results(creations, i -> problems[i] == null ? Errors.NONE : Errors.INVALID_REQUEST, problems);
        });
    }

    static String validate(AclCreation c) {
        ResourceType type = ResourceType.fromCode(c.resourceType());
        PatternType pattern = PatternType.fromCode(c.resourcePatternType());
        AclOperation op = AclOperation.fromCode(c.operation());
        AclPermissionType permission = AclPermissionType.fromCode(c.permissionType());
        if (type == ResourceType.ANY || type == ResourceType.UNKNOWN) {
            return "Invalid resource type " + type;
        }
        if (pattern != PatternType.LITERAL && pattern != PatternType.PREFIXED) {
            return "Invalid resource pattern type " + pattern + ": only LITERAL and PREFIXED";
        }
        if (type == ResourceType.CLUSTER && !c.resourceName().equals(Authz.CLUSTER)) {
            return "The only valid name for the CLUSTER resource is " + Authz.CLUSTER;
        }
        if (c.resourceName().isEmpty()) {
            return "Resource name must not be empty";
        }
        if (op == AclOperation.ANY || op == AclOperation.UNKNOWN) {
            return "Invalid operation " + op;
        }
        if (permission != AclPermissionType.ALLOW && permission != AclPermissionType.DENY) {
            return "Invalid permission type " + permission;
        }
        try {
            KafkaPrincipal principal = SecurityUtils.parseKafkaPrincipal(c.principal());
            if (principal.getName().isEmpty()) {
                return "Invalid principal " + c.principal();
            }
        } catch (RuntimeException e) {
            return "Invalid principal " + c.principal() + ": expected Type:name, e.g. User:alice";
        }
        if (c.host() == null || c.host().isEmpty()) {
            return "Invalid host: use * for any";
        }
        return null;
    }

    private static CreateAclsResponseData results(List<AclCreation> creations,
                                                  java.util.function.IntFunction<Errors> error, String[] messages) {
        List<AclCreationResult> results = new ArrayList<>();
        for (int i = 0; i < creations.size(); i++) {
            Errors e = error.apply(i);
            results.add(new AclCreationResult().setErrorCode(e.code())
                    .setErrorMessage(e == Errors.NONE ? null : messages != null ? messages[i] : e.message()));
        }
        return new CreateAclsResponseData().setResults(results);
    }
}
