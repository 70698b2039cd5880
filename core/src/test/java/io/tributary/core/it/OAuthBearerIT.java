package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.core.testing.TestJwts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tributary.core.it.SecureListenersIT.admin;
import static io.tributary.core.testing.TestJwts.nowSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SASL OAUTHBEARER with the real Java client: JWTs signed in the test with a generated RSA key, validated by the
 * broker against a JWKS file with the expected issuer and audience; the principal is the token's subject. Expired,
 * wrongly signed and wrongly addressed tokens are refused with SASL_AUTHENTICATION_FAILED.
 */
class OAuthBearerIT {

    private static final String ISSUER = "https://login.example.com";
    private static final String AUDIENCE = "tributary";

    @TempDir
    static Path work;
    private static KeyPair trusted;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        trusted = TestJwts.rsa();
        Path jwks = work.resolve("jwks.json");
        Files.writeString(jwks, TestJwts.jwks("key-1", trusted.getPublic()));
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        props.put("sasl.enabled.mechanisms", "OAUTHBEARER,PLAIN");
        props.put("sasl.oauthbearer.jwks.endpoint.url", jwks.toUri().toString());
        props.put("sasl.oauthbearer.expected.issuer", ISSUER);
        props.put("sasl.oauthbearer.expected.audience", AUDIENCE);
        props.put("sasl.max.failed.authentications.per.ip", "1000");
        props.put("connection.failed.authentication.delay.ms", "10");
        props.put("authorizer.class.name", "builtin");
        props.put("super.users", "User:alice");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String bootstrap() {
        return "127.0.0.1:" + broker.broker().boundListeners().get(0).port();
    }

    private static Map<String, Object> bearer(String token) {
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "OAUTHBEARER");
        p.put("sasl.login.callback.handler.class", TokenLoginHandler.class.getName());
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                + " token=\"" + token + "\";");
        return p;
    }

    private static String token(KeyPair key, String sub, long expiresInSeconds, String issuer, String audience)
            throws Exception {
        return TestJwts.sign(key.getPrivate(), "key-1", Map.of("sub", sub, "iat", nowSeconds(),
                "exp", nowSeconds() + expiresInSeconds, "iss", issuer, "aud", audience));
    }

    @Test
    void aValidTokenAuthenticatesAsItsSubject() throws Exception {
        try (Admin alice = admin(bootstrap(), bearer(token(trusted, "alice", 300, ISSUER, AUDIENCE)))) {
            alice.createTopics(List.of(new NewTopic("oauth-topic", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
            assertThat(alice.listTopics().names().get(20, TimeUnit.SECONDS)).contains("oauth-topic");
        }
        SecureListenersIT.roundTrip(bootstrap(), bearer(token(trusted, "alice", 300, ISSUER, AUDIENCE)),
                "oauth-topic", 20);
        // Bob's token is just as valid, but User:bob is not a super user and has no ACL.
        try (Admin bob = admin(bootstrap(), bearer(token(trusted, "bob", 300, ISSUER, AUDIENCE)))) {
            assertThatThrownBy(() -> bob.createTopics(List.of(new NewTopic("bobs-topic", 1, (short) 1)))
                    .all().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void expiredWronglySignedOrMisaddressedTokensAreRefused() throws Exception {
        KeyPair stranger = TestJwts.rsa();
        assertRefused(token(trusted, "alice", -300, ISSUER, AUDIENCE), "expired");
        assertRefused(token(stranger, "alice", 300, ISSUER, AUDIENCE), "signature");
        assertRefused(token(trusted, "alice", 300, "https://evil.example.com", AUDIENCE), "issuer");
        assertRefused(token(trusted, "alice", 300, ISSUER, "another-service"), "audience");
        // The broker keeps serving good clients.
        try (Admin alice = admin(bootstrap(), bearer(token(trusted, "alice", 300, ISSUER, AUDIENCE)))) {
            assertThat(alice.describeCluster().clusterId().get(20, TimeUnit.SECONDS)).isNotBlank();
        }
    }

    private static void assertRefused(String token, String reason) {
        try (Admin admin = admin(bootstrap(), bearer(token))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining(reason);
        }
    }

    /**
     * Hands the client the token given as the JAAS option {@code token}, as a real login handler would hand one it
     * fetched from an identity provider. Its lifetime for the client is an hour whatever the token says, so that
     * expired tokens reach the broker.
     */
    public static final class TokenLoginHandler implements AuthenticateCallbackHandler {

        private String token;

        @Override
        public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> jaas) {
            token = (String) jaas.get(0).getOptions().get("token");
        }

        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (callback instanceof OAuthBearerTokenCallback tokenCallback) {
                    long issued = System.currentTimeMillis();
                    tokenCallback.token(new OAuthBearerToken() {
                        @Override
                        public String value() {
                            return token;
                        }

                        @Override
                        public Set<String> scope() {
                            return Set.of();
                        }

                        @Override
                        public long lifetimeMs() {
                            return issued + 3_600_000;
                        }

                        @Override
                        public String principalName() {
                            return "client";
                        }

                        @Override
                        public Long startTimeMs() {
                            return issued;
                        }
                    });
                } else if (!(callback instanceof SaslExtensionsCallback)) {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }

        @Override
        public void close() {
        }
    }
}
