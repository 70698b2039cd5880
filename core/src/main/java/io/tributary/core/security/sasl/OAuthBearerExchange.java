package io.tributary.core.security.sasl;

import io.tributary.core.security.oauth.JwtValidator;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;

/**
 * SASL OAUTHBEARER (RFC 7628) as Kafka clients speak it: one client message
 * {@code n,[a=authzid],^Aauth=Bearer <token>^A[key=value^A...]^A}; the token is a JWT checked by the
 * {@link JwtValidator}, and the user is its subject. SASL extensions are accepted and ignored. A refused token fails
 * the exchange at once (SASL_AUTHENTICATION_FAILED with the reason) instead of RFC 7628's error challenge.
 */
final class OAuthBearerExchange implements SaslExchange {

    private static final String SEPARATOR = "\u0001";

    private final JwtValidator validator;
    private String user;

    OAuthBearerExchange(JwtValidator validator) {
        this.validator = validator;
    }

    @Override
    public Future<byte[]> evaluate(byte[] response) {
        if (user != null) {
            return Future.failedFuture(new AuthenticationFailedException("OAUTHBEARER takes exactly one message"));
        }
        if (validator == null) {
            return Future.failedFuture(new AuthenticationFailedException(
                    "Authentication failed: no keys are configured to validate OAUTHBEARER tokens"));
        }
        String message = new String(response, StandardCharsets.UTF_8);
        int first = message.indexOf(SEPARATOR);
        String gs2 = first < 0 ? "" : message.substring(0, first);
        if (!gs2.startsWith("n,") && !gs2.startsWith("y,")) {
            return Future.failedFuture(new AuthenticationFailedException(
                    "Invalid OAUTHBEARER message: expected a GS2 header"));
        }
        String token = null;
        for (String kv : message.substring(first + 1).split(SEPARATOR)) {
            if (kv.startsWith("auth=")) {
                String auth = kv.substring("auth=".length());
                if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    token = auth.substring(7).trim();
                }
            }
        }
        if (token == null || token.isEmpty()) {
            return Future.failedFuture(new AuthenticationFailedException(
                    "Invalid OAUTHBEARER message: no auth=Bearer token"));
        }
        String subject;
        try {
            subject = validator.validate(token);
        } catch (AuthenticationFailedException e) {
            return Future.failedFuture(e);
        }
        String authzid = authzid(gs2);
        if (authzid != null && !authzid.equals(subject)) {
            return Future.failedFuture(new AuthenticationFailedException(
                    "Authentication failed: the authorization id differs from the token's subject"));
        }
        user = subject;
        return Future.succeededFuture(new byte[0]);
    }

    private static String authzid(String gs2) {
        for (String part : gs2.split(",")) {
            if (part.startsWith("a=")) {
                return part.substring(2).replace("=2C", ",").replace("=3D", "=");
            }
        }
        return null;
    }

    @Override
    public boolean isComplete() {
        return user != null;
    }

    @Override
    public String user() {
        return user;
    }
}
