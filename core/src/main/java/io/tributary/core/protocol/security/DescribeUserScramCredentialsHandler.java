package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DescribeUserScramCredentials (kafka-configs --describe --entity-type users): mechanisms and iterations, never keys. */
public final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeUserScramCredentialsRequest request) {
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        BrokerSecurity security = context.connection().session().security();
        if (!Authz.cluster(context, AclOperation.DESCRIBE)) {
            return Future.succeededFuture(response.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        Map<String, Map<String, Integer>> all = security == null ? Map.of() : security.credentials().describe();
        List<UserName> users = request.data().users();
        List<DescribeUserScramCredentialsResult> results = new ArrayList<>();
        if (users == null || users.isEmpty()) {
            all.forEach((user, mechs) -> results.add(result(user, mechs)));
        } else {
            Set<String> seen = new HashSet<>();
            Set<String> duplicates = new HashSet<>();
            users.forEach(u -> {
                if (!seen.add(u.name())) {
                    duplicates.add(u.name());
                }
            });
            for (String user : seen) {
                if (duplicates.contains(user)) {
                    results.add(new DescribeUserScramCredentialsResult().setUser(user)
                            .setErrorCode(Errors.DUPLICATE_RESOURCE.code())
                            .setErrorMessage("Cannot describe SCRAM credentials for the same user twice in a single request: " + user));
                } else if (!all.containsKey(user)) {
                    results.add(new DescribeUserScramCredentialsResult().setUser(user)
                            .setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                            .setErrorMessage("Attempt to describe a user credential that does not exist: " + user));
                } else {
                    results.add(result(user, all.get(user)));
                }
            }
        }
        return Future.succeededFuture(response.setResults(results));
    }

    private static DescribeUserScramCredentialsResult result(String user, Map<String, Integer> mechanisms) {
        List<CredentialInfo> infos = new ArrayList<>();
        mechanisms.forEach((m, iterations) -> infos.add(new CredentialInfo()
                .setMechanism(ScramMechanism.fromMechanismName(m).type()).setIterations(iterations)));
        return new DescribeUserScramCredentialsResult().setUser(user).setCredentialInfos(infos);
    }
}
