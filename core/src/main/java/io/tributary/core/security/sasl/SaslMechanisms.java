package io.tributary.core.security.sasl;

import io.tributary.core.security.CredentialStore;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.BiFunction;

/** The SASL mechanisms this broker serves and how to start a conversation with each. */
public final class SaslMechanisms {

    public static final List<String> SUPPORTED = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private SaslMechanisms() {
    }

    /**
     * A new server-side exchange for {@code mechanism} (one of {@link #SUPPORTED}).
     *
     * @param passwordVerifier checks a user name and password (PLAIN), failing with
     *                         {@link AuthenticationFailedException}
     */
    public static SaslExchange start(String mechanism, CredentialStore credentials,
                                     BiFunction<String, String, Future<Void>> passwordVerifier) {
        return switch (mechanism) {
            case "PLAIN" -> new PlainExchange(passwordVerifier);
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> new ScramExchange(mechanism, credentials);
            default -> throw new IllegalArgumentException("unsupported SASL mechanism " + mechanism);
        };
    }
}
