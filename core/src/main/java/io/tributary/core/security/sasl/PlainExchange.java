package io.tributary.core.security.sasl;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/** SASL PLAIN (RFC 4616): one message {@code authzid NUL authcid NUL password}; no challenge. */
final class PlainExchange implements SaslExchange {

    private final BiFunction<String, String, Future<Void>> verifier;
    private String user;
    private boolean complete;

    PlainExchange(BiFunction<String, String, Future<Void>> verifier) {
        this.verifier = verifier;
    }

    @Override
    public Future<byte[]> evaluate(byte[] token) {
        if (complete || user != null) {
            return Future.failedFuture(new AuthenticationFailedException("PLAIN takes exactly one message"));
        }
        String message = new String(token, StandardCharsets.UTF_8);
        int first = message.indexOf('\0');
        int second = first < 0 ? -1 : message.indexOf('\0', first + 1);
        if (first < 0 || second < 0 || message.indexOf('\0', second + 1) >= 0) {
            return Future.failedFuture(new AuthenticationFailedException(
                    "Invalid SASL/PLAIN message: expected authzid NUL authcid NUL password"));
        }
        String authzid = message.substring(0, first);
        String authcid = message.substring(first + 1, second);
        String password = message.substring(second + 1);
        if (authcid.isEmpty() || password.isEmpty()) {
            return Future.failedFuture(new AuthenticationFailedException("Authentication failed: empty user or password"));
        }
        if (!authzid.isEmpty() && !authzid.equals(authcid)) {
            return Future.failedFuture(new AuthenticationFailedException(
                    "Authentication failed: Client requested an authorization id that is different from username"));
        }
        user = authcid;
        return verifier.apply(authcid, password).map(v -> {
            complete = true;
            return new byte[0];
        });
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String user() {
        return complete ? user : null;
    }
}
