package io.tributary.gateway.mqtt;

import io.tributary.core.security.BrokerSecurity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Checks a CONNECT's username and password against the credentials file and yields the client's topic
 * permissions. Without a credentials file every client may use every topic (if anonymous access is on).
 * With the broker's security: a username not in the file is checked against the broker's users (SASL PLAIN users
 * and SCRAM credentials), a client certificate without a username authenticates as its subject's principal, and
 * with the authorizer on publishing needs WRITE and subscribing READ on the mapped Kafka topic.
 */
final class Authenticator {

    /** Why a connection was refused. */
    enum Refusal { BAD_CREDENTIALS, NOT_AUTHORIZED }

    static final class RefusedException extends RuntimeException {
        final Refusal refusal;

        RefusedException(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }
    }

    private final Vertx vertx;
    private final CredentialsFile credentials;
    private final boolean hasFile;
    private final boolean allowAnonymous;

    private BrokerSecurity security;
    private TopicMapping mapping;

    Authenticator(Vertx vertx, CredentialsFile credentials, boolean hasFile, boolean allowAnonymous) {
        this.vertx = vertx;
        this.credentials = credentials;
        this.hasFile = hasFile;
        this.allowAnonymous = allowAnonymous;
    }

    /** Also authenticates against the broker's users and applies its ACLs. */
    Authenticator withBrokerSecurity(BrokerSecurity security, TopicMapping mapping) {
        this.security = security;
        this.mapping = mapping;
        return this;
    }

    /** Authenticates a CONNECT: username and password, else the TLS client certificate, else anonymous. */
    Future<TopicPermissions> authenticate(String username, String password, String clientId, MqttEndpoint endpoint) {
        if (security == null) {
            return authenticate(username, password, clientId);
        }
        String host = endpoint.remoteAddress() == null ? "" : endpoint.remoteAddress().hostAddress();
        if (security.failures().blocked(host)) {
            return Future.failedFuture(new RefusedException(Refusal.NOT_AUTHORIZED, "too many failed logins"));
        }
        Future<TopicPermissions> authenticated;
        String principal;
        if (username != null && credentials.hashOf(username) == null) {
            if (password == null) {
                return Future.failedFuture(new RefusedException(Refusal.BAD_CREDENTIALS, "no password"));
            }
            principal = "User:" + username;
            authenticated = security.verifyPassword(username, password).<TopicPermissions>map(v -> hasFile
                            ? TopicPermissions.of(credentials.grantsOf(username), username, clientId)
                            : TopicPermissions.ALLOW_ALL)
                    .recover(e -> Future.failedFuture(new RefusedException(Refusal.BAD_CREDENTIALS, "wrong password")));
        } else if (username == null && endpoint.isSsl() && !BrokerSecurity.ANONYMOUS.equals(
                security.principalOf(endpoint.sslSession()))) {
            principal = security.principalOf(endpoint.sslSession());
            authenticated = Future.succeededFuture(hasFile
                    ? TopicPermissions.of(credentials.grantsOf(principal.substring("User:".length())), null, clientId)
                    : TopicPermissions.ALLOW_ALL);
        } else {
            principal = username == null ? BrokerSecurity.ANONYMOUS : "User:" + username;
            authenticated = authenticate(username, password, clientId);
        }
        return authenticated.onFailure(e -> {
            if (e instanceof RefusedException r && r.refusal == Refusal.BAD_CREDENTIALS) {
                security.failures().failed(host);
            }
        }).map(perms -> security.authorizerEnabled() ? perms.withAcls(
                topic -> {
                    String kafkaTopic = mapping.kafkaTopicFor(topic);
                    return kafkaTopic != null
                            && security.authorize(principal, host, AclOperation.WRITE, ResourceType.TOPIC, kafkaTopic);
                },
                filter -> security.authorize(principal, host, AclOperation.READ, ResourceType.TOPIC,
                        kafkaTopicOfFilter(filter))) : perms);
    }

    /**
     * The Kafka topic a subscription filter reads: its mapped topic, or "*" (READ on every topic needed) when its
     * first level is a wildcard.
     */
    private String kafkaTopicOfFilter(String filter) {
        String first = filter.split("/", -1)[0];
        if (first.equals("+") || first.equals("#")) {
            return "*";
        }
        String concrete = filter.replace("+", "x").replace("#", "x");
        String topic = mapping.kafkaTopicFor(concrete);
        return topic == null ? "*" : topic;
    }

    Future<TopicPermissions> authenticate(String username, String password, String clientId) {
        if (username == null) {
            if (!allowAnonymous) {
                return Future.failedFuture(new RefusedException(Refusal.NOT_AUTHORIZED, "anonymous access is off"));
            }
            return Future.succeededFuture(hasFile
                    ? TopicPermissions.of(credentials.grantsOf("anonymous"), null, clientId)
                    : TopicPermissions.ALLOW_ALL);
        }
        String hash = credentials.hashOf(username);
        if (hash == null || password == null) {
            return Future.failedFuture(new RefusedException(Refusal.BAD_CREDENTIALS, "unknown user or no password"));
        }
        // PBKDF2 is deliberately slow: keep it off the event loop.
        return vertx.<Boolean>executeBlocking(() -> PasswordHasher.verify(password.toCharArray(), hash), false)
                .compose(ok -> ok
                        ? Future.succeededFuture(TopicPermissions.of(credentials.grantsOf(username), username, clientId))
                        : Future.failedFuture(new RefusedException(Refusal.BAD_CREDENTIALS, "wrong password")));
    }
}
