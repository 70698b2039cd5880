package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.CredentialStore;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AlterUserScramCredentials (kafka-configs --alter --add-config 'SCRAM-SHA-256=[password=...]'): the client sends
 * the salt and the salted password; the broker keeps only the derived stored and server keys. Kafka's checks:
 * iterations within the mechanism's bounds (4096..16384), known mechanism, non-empty user, one change per user and
 * mechanism.
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler<AlterUserScramCredentialsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, AlterUserScramCredentialsRequest request) {
        Map<String, Errors> errors = new LinkedHashMap<>();
        Map<String, String> messages = new HashMap<>();
        List<ScramCredentialDeletion> deletions = request.data().deletions();
        List<ScramCredentialUpsertion> upsertions = request.data().upsertions();
        deletions.forEach(d -> errors.putIfAbsent(d.name(), Errors.NONE));
        upsertions.forEach(u -> errors.putIfAbsent(u.name(), Errors.NONE));
        BrokerSecurity security = context.connection().session().security();
        if (security == null || !Authz.cluster(context, AclOperation.ALTER)) {
            errors.replaceAll((u, e) -> Errors.CLUSTER_AUTHORIZATION_FAILED);
            return Future.succeededFuture(response(errors, messages));
        }
        // Kafka refuses a request that changes the same user and mechanism twice.
        Map<String, Integer> changes = new HashMap<>();
        deletions.forEach(d -> changes.merge(d.name() + "/" + d.mechanism(), 1, Integer::sum));
        upsertions.forEach(u -> changes.merge(u.name() + "/" + u.mechanism(), 1, Integer::sum));
        for (ScramCredentialDeletion d : deletions) {
            check(d.name(), d.mechanism(), null, changes, errors, messages);
            if (errors.get(d.name()) == Errors.NONE
                    && security.credentials().get(d.name(), mechanism(d.mechanism()).mechanismName()) == null) {
                fail(errors, messages, d.name(), Errors.RESOURCE_NOT_FOUND,
                        "Attempt to delete a user credential that does not exist");
            }
        }
        for (ScramCredentialUpsertion u : upsertions) {
            check(u.name(), u.mechanism(), u.iterations(), changes, errors, messages);
            if (errors.get(u.name()) == Errors.NONE && (u.salt().length == 0 || u.saltedPassword().length == 0)) {
                fail(errors, messages, u.name(), Errors.UNACCEPTABLE_CREDENTIAL, "Empty salt or salted password");
            }
        }
        CredentialStore store = security.credentials();
        return security.vertx().executeBlocking(() -> {
            for (ScramCredentialDeletion d : deletions) {
                if (errors.get(d.name()) == Errors.NONE) {
                    store.delete(d.name(), mechanism(d.mechanism()).mechanismName());
                }
            }
            for (ScramCredentialUpsertion u : upsertions) {
                if (errors.get(u.name()) == Errors.NONE) {
                    String m = mechanism(u.mechanism()).mechanismName();
                    store.upsert(u.name(), m, BrokerSecurity.scramCredential(m, u.salt(), u.saltedPassword(),
                            u.iterations()));
                }
            }
            return response(errors, messages);
        });
    }

    private static void check(String user, byte type, Integer iterations, Map<String, Integer> changes,
                              Map<String, Errors> errors, Map<String, String> messages) {
        if (errors.get(user) != Errors.NONE) {
            return;
        }
        ScramMechanism mechanism = mechanism(type);
        if (user.isEmpty()) {
            fail(errors, messages, user, Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        } else if (mechanism == ScramMechanism.UNKNOWN) {
            fail(errors, messages, user, Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        } else if (changes.get(user + "/" + type) > 1) {
            fail(errors, messages, user, Errors.DUPLICATE_RESOURCE,
                    "A user credential cannot be altered twice in the same request");
        } else if (iterations != null) {
            var internal = org.apache.kafka.common.security.scram.internals.ScramMechanism
                    .forMechanismName(mechanism.mechanismName());
            if (iterations < internal.minIterations() || iterations > internal.maxIterations()) {
                fail(errors, messages, user, Errors.UNACCEPTABLE_CREDENTIAL, "Iterations must be between "
                        + internal.minIterations() + " and " + internal.maxIterations() + ", was " + iterations);
            }
        }
    }

    private static ScramMechanism mechanism(byte type) {
        return ScramMechanism.fromType(type);
    }

    private static void fail(Map<String, Errors> errors, Map<String, String> messages, String user, Errors error,
                             String message) {
        errors.put(user, error);
        messages.put(user, message);
    }

    private static AlterUserScramCredentialsResponseData response(Map<String, Errors> errors,
                                                                  Map<String, String> messages) {
        List<AlterUserScramCredentialsResult> results = new ArrayList<>();
        errors.forEach((user, error) -> results.add(new AlterUserScramCredentialsResult().setUser(user)
                .setErrorCode(error.code())
                .setErrorMessage(error == Errors.NONE ? null : messages.getOrDefault(user, error.message()))));
        return new AlterUserScramCredentialsResponseData().setResults(results);
    }
}
