package io.tributary.core.security.sasl;

import io.tributary.core.security.CredentialStore;
import io.tributary.core.security.oauth.JwtValidator;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.BiFunction;

/** The SASL mechanisms this broker serves and how to start a conversation with each. */
public final class SaslMechanisms {

    public static final List<String> SUPPORTED = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER");

    private SaslMechanisms() {
    }

    /**
     * A new server-side exchange for {@code mechanism} (one of {@link #SUPPORTED}).
     *
     * @param passwordVerifier checks a user name and password (PLAIN), failing with
     *                         {@link AuthenticationFailedException}
     * @param tokenValidator   checks OAUTHBEARER tokens; null when none are accepted
     */
    public static SaslExchange start(String mechanism, CredentialStore credentials,
                                     BiFunction<String, String, Future<Void>> passwordVerifier,
                                     JwtValidator tokenValidator) {
        return switch (mechanism) {
            case "OAUTHBEARER" -> new OAuthBearerExchange(tokenValidator);
            case "PLAIN" -> new PlainExchange(passwordVerifier);
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> new ScramExchange(mechanism, credentials);
            default -> throw new IllegalArgumentException("unsupported SASL mechanism " + mechanism);
        };
    }
}
