package io.tributary.gateway.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Checks a CONNECT's username and password against the credentials file and yields the client's topic
 * permissions. Without a credentials file every client may use every topic (if anonymous access is on).
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

    Authenticator(Vertx vertx, CredentialsFile credentials, boolean hasFile, boolean allowAnonymous) {
        this.vertx = vertx;
        this.credentials = credentials;
        this.hasFile = hasFile;
        this.allowAnonymous = allowAnonymous;
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
