package io.tributary.core.security.oauth;

import io.tributary.core.security.sasl.AuthenticationFailedException;
import io.tributary.core.testing.TestJwts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.tributary.core.testing.TestJwts.nowSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JWT checks of OAUTHBEARER: signatures (RSA, EC, JWKS, PEM), expiry, nbf, issuer, audience, subject claim. */
class JwtValidatorTest {

    private static JwtValidator validator(List<VerificationKeys.Key> keys, String issuer, List<String> audience,
                                          String claim) {
        return new JwtValidator(keys, issuer, audience, claim, 30, System::currentTimeMillis);
    }

    @Test
    void rsaAndEcTokensVerifyAgainstJwksAndPemKeys() throws Exception {
        KeyPair rsa = TestJwts.rsa();
        KeyPair ec = TestJwts.ec();
        List<VerificationKeys.Key> jwks = new java.util.ArrayList<>(VerificationKeys.fromJwks(TestJwts.jwks("r1", rsa.getPublic())));
        jwks.addAll(VerificationKeys.fromJwks(TestJwts.jwks("e1", ec.getPublic())));
        JwtValidator v = validator(jwks, null, List.of(), "sub");
        Map<String, Object> claims = Map.of("sub", "alice", "exp", nowSeconds() + 60);
        assertThat(v.validate(TestJwts.sign(rsa.getPrivate(), "r1", claims))).isEqualTo("alice");
        assertThat(v.validate(TestJwts.sign(ec.getPrivate(), "e1", claims))).isEqualTo("alice");
        // The key id selects the key: an RSA token naming the EC key's id does not verify.
        assertThatThrownBy(() -> v.validate(TestJwts.sign(rsa.getPrivate(), "e1", claims)))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("signature");

        JwtValidator pem = validator(VerificationKeys.fromPem(TestJwts.pem(rsa.getPublic()) + TestJwts.pem(ec.getPublic())),
                null, List.of(), "sub");
        assertThat(pem.validate(TestJwts.sign(rsa.getPrivate(), null, claims))).isEqualTo("alice");
        assertThat(pem.validate(TestJwts.sign(ec.getPrivate(), "any", claims))).isEqualTo("alice");
    }

    @Test
    void badTokensAreRefusedWithTheReason() throws Exception {
        KeyPair trusted = TestJwts.rsa();
        KeyPair other = TestJwts.rsa();
        JwtValidator v = validator(VerificationKeys.fromPem(TestJwts.pem(trusted.getPublic())), "https://issuer",
                List.of("kafka"), "sub");
        long now = nowSeconds();
        Map<String, Object> good = Map.of("sub", "alice", "exp", now + 60, "iss", "https://issuer", "aud", "kafka");
        assertThat(v.validate(TestJwts.sign(trusted.getPrivate(), null, good))).isEqualTo("alice");
        assertRefused(v, TestJwts.sign(other.getPrivate(), null, good), "signature");
        assertRefused(v, TestJwts.sign(trusted.getPrivate(), null,
                Map.of("sub", "alice", "exp", now - 120, "iss", "https://issuer", "aud", "kafka")), "expired");
        assertRefused(v, TestJwts.sign(trusted.getPrivate(), null,
                Map.of("sub", "alice", "iss", "https://issuer", "aud", "kafka")), "exp");
        assertRefused(v, TestJwts.sign(trusted.getPrivate(), null,
                Map.of("sub", "alice", "exp", now + 600, "nbf", now + 300, "iss", "https://issuer", "aud", "kafka")),
                "not valid yet");
        assertRefused(v, TestJwts.sign(trusted.getPrivate(), null,
                Map.of("sub", "alice", "exp", now + 60, "iss", "https://other", "aud", "kafka")), "issuer");
        assertRefused(v, TestJwts.sign(trusted.getPrivate(), null,
                Map.of("sub", "alice", "exp", now + 60, "iss", "https://issuer", "aud", "web")), "audience");
        assertRefused(v, TestJwts.sign(trusted.getPrivate(), null,
                Map.of("exp", now + 60, "iss", "https://issuer", "aud", "kafka")), "sub");
        // An unsigned token (alg none) and garbage.
        String unsigned = b64("{\"alg\":\"none\"}") + "." + b64("{\"sub\":\"alice\",\"exp\":" + (now + 60) + "}") + ".";
        assertRefused(v, unsigned, "not a signed JWT");
        assertRefused(v, b64("{\"alg\":\"none\"}") + "." + b64("{}") + ".c2ln", "algorithm");
        assertRefused(v, "not-a-jwt", "not a signed JWT");
    }

    @Test
    void theSubjectClaimIsConfigurable() throws Exception {
        KeyPair rsa = TestJwts.rsa();
        JwtValidator v = validator(VerificationKeys.fromPem(TestJwts.pem(rsa.getPublic())), null, List.of(),
                "preferred_username");
        assertThat(v.validate(TestJwts.sign(rsa.getPrivate(), null,
                Map.of("sub", "0f3a", "preferred_username", "carol", "exp", nowSeconds() + 60)))).isEqualTo("carol");
    }

    private static void assertRefused(JwtValidator v, String token, String reason) {
        assertThatThrownBy(() -> v.validate(token)).isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining(reason);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
