package io.tributary.core.security.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.security.sasl.AuthenticationFailedException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Validates an OAUTHBEARER token: a signed JWT (JWS compact form) whose signature one of the trusted keys verifies
 * (RS256/384/512, ES256/384/512; unsigned and HMAC tokens are refused), that has not expired and is already valid
 * (exp required, nbf, both with the clock skew allowed), and whose issuer and audience are the expected ones when
 * configured. The principal's name is the subject claim (sub, or the configured claim). Thread-safe.
 */
public final class JwtValidator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> RSA = Map.of("RS256", "SHA256withRSA", "RS384", "SHA384withRSA",
            "RS512", "SHA512withRSA");
    private static final Map<String, String> EC = Map.of("ES256", "SHA256withECDSA", "ES384", "SHA384withECDSA",
            "ES512", "SHA512withECDSA");

    private final List<VerificationKeys.Key> keys;
    private final String expectedIssuer;
    private final List<String> expectedAudience;
    private final String subjectClaim;
    private final long clockSkewSeconds;
    private final LongSupplier nowMillis;

    public JwtValidator(List<VerificationKeys.Key> keys, String expectedIssuer, List<String> expectedAudience,
                        String subjectClaim, long clockSkewSeconds, LongSupplier nowMillis) {
        this.keys = List.copyOf(keys);
        this.expectedIssuer = expectedIssuer == null || expectedIssuer.isBlank() ? null : expectedIssuer;
        this.expectedAudience = List.copyOf(expectedAudience);
        this.subjectClaim = subjectClaim;
        this.clockSkewSeconds = clockSkewSeconds;
        this.nowMillis = nowMillis;
    }

    /** The principal name the token proves, or {@link AuthenticationFailedException} saying why not. */
    public String validate(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            throw fail("the token is not a signed JWT");
        }
        JsonNode header = json(parts[0], "header");
        JsonNode claims = json(parts[1], "payload");
        String alg = header.path("alg").asText();
        if (!RSA.containsKey(alg) && !EC.containsKey(alg)) {
            throw fail("the token's algorithm " + alg + " is not accepted");
        }
        String kid = header.hasNonNull("kid") ? header.get("kid").asText() : null;
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(parts[2], "signature");
        if (!verifies(alg, kid, signed, signature)) {
            throw fail("the token's signature is not valid for any trusted key");
        }
        long now = nowMillis.getAsLong() / 1000;
        if (!claims.path("exp").isNumber()) {
            throw fail("the token has no expiry (exp)");
        }
        if (now > claims.get("exp").asLong() + clockSkewSeconds) {
            throw fail("the token has expired");
        }
        if (claims.path("nbf").isNumber() && now + clockSkewSeconds < claims.get("nbf").asLong()) {
            throw fail("the token is not valid yet (nbf)");
        }
        if (expectedIssuer != null && !expectedIssuer.equals(claims.path("iss").asText(null))) {
            throw fail("the token's issuer is not " + expectedIssuer);
        }
        if (!expectedAudience.isEmpty() && !audienceMatches(claims.get("aud"))) {
            throw fail("the token is not meant for this audience");
        }
        JsonNode subject = claims.get(subjectClaim);
        if (subject == null || !subject.isTextual() || subject.asText().isBlank()) {
            throw fail("the token has no " + subjectClaim + " claim");
        }
        return subject.asText();
    }

    private boolean verifies(String alg, String kid, byte[] signed, byte[] signature) {
        boolean rsa = RSA.containsKey(alg);
        for (VerificationKeys.Key key : keys) {
            if (kid != null && key.kid() != null && !kid.equals(key.kid())) {
                continue;
            }
            try {
                if (rsa && key.publicKey() instanceof RSAPublicKey) {
                    Signature s = Signature.getInstance(RSA.get(alg));
                    s.initVerify(key.publicKey());
                    s.update(signed);
                    if (s.verify(signature)) {
                        return true;
                    }
                } else if (!rsa && key.publicKey() instanceof ECPublicKey ec) {
                    Signature s = Signature.getInstance(EC.get(alg));
                    s.initVerify(ec);
                    s.update(signed);
                    if (s.verify(derFromConcatenated(signature))) {
                        return true;
                    }
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // Not this key: try the next.
            }
        }
        return false;
    }

    private boolean audienceMatches(JsonNode aud) {
        if (aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return expectedAudience.contains(aud.asText());
        }
        for (JsonNode a : aud) {
            if (expectedAudience.contains(a.asText())) {
                return true;
            }
        }
        return false;
    }

    /** JWS carries an ECDSA signature as R || S; Java's verifier wants the DER sequence. */
    static byte[] derFromConcatenated(byte[] rs) {
        if (rs.length == 0 || rs.length % 2 != 0) {
            throw new IllegalArgumentException("bad ECDSA signature length");
        }
        byte[] r = integer(rs, 0, rs.length / 2);
        byte[] s = integer(rs, rs.length / 2, rs.length / 2);
        int body = 2 + r.length + 2 + s.length;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        if (body >= 128) {
            out.write(0x81);
        }
        out.write(body);
        out.write(0x02);
        out.write(r.length);
        out.writeBytes(r);
        out.write(0x02);
        out.write(s.length);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static byte[] integer(byte[] src, int offset, int length) {
        int start = offset;
        while (start < offset + length - 1 && src[start] == 0) {
            start++;
        }
        boolean pad = (src[start] & 0x80) != 0;
        byte[] out = new byte[offset + length - start + (pad ? 1 : 0)];
        System.arraycopy(src, start, out, pad ? 1 : 0, offset + length - start);
        return out;
    }

    private static JsonNode json(String part, String what) {
        try {
            JsonNode node = JSON.readTree(decode(part, what));
            if (node == null || !node.isObject()) {
                throw fail("the token's " + what + " is not a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw fail("the token's " + what + " is not JSON");
        }
    }

    private static byte[] decode(String part, String what) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw fail("the token's " + what + " is not base64url");
        }
    }

    private static AuthenticationFailedException fail(String why) {
        return new AuthenticationFailedException("Authentication failed: " + why);
    }
}
