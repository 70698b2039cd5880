package io.tributary.core.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** Generates keys and signs JWTs (RS256, ES256) for OAUTHBEARER tests; JSON written by hand, values strings or numbers. */
public final class TestJwts {

    private TestJwts() {
    }

    public static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    public static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A JWKS document with {@code key} under {@code kid}. */
    public static String jwks(String kid, java.security.PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"" + kid + "\",\"n\":\"" + b64(rsa.getModulus())
                    + "\",\"e\":\"" + b64(rsa.getPublicExponent()) + "\"}]}";
        }
        ECPublicKey ec = (ECPublicKey) key;
        return "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"x\":\""
                + b64(fixed(ec.getW().getAffineX(), 32)) + "\",\"y\":\"" + b64(fixed(ec.getW().getAffineY(), 32))
                + "\"}]}";
    }

    /** A PEM PUBLIC KEY block. */
    public static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** A JWT signed with RS256 (RSA key) or ES256 (EC key). */
    public static String sign(PrivateKey key, String kid, Map<String, Object> claims) throws Exception {
        boolean rsa = key.getAlgorithm().equals("RSA");
        String header = "{\"alg\":\"" + (rsa ? "RS256" : "ES256") + "\",\"typ\":\"JWT\""
                + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}";
        String payload = claims.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + (e.getValue() instanceof Number ? e.getValue().toString()
                        : "\"" + e.getValue() + "\""))
                .collect(Collectors.joining(",", "{", "}"));
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64(payload.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(key);
        s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        byte[] signature = s.sign();
        return signingInput + "." + b64(rsa ? signature : concatenated(signature));
    }

    public static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** DER ECDSA signature -> JWS R || S (32 bytes each for P-256). */
    private static byte[] concatenated(byte[] der) {
        int offset = der[1] == (byte) 0x81 ? 3 : 2;
        int rLength = der[offset + 1];
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength));
        int sOffset = offset + 2 + rLength;
        int sLength = der[sOffset + 1];
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(der, sOffset + 2, sOffset + 2 + sLength));
        byte[] out = new byte[64];
        System.arraycopy(fixed(r, 32), 0, out, 0, 32);
        System.arraycopy(fixed(s, 32), 0, out, 32, 32);
        return out;
    }

    private static byte[] fixed(BigInteger n, int length) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static String b64(BigInteger n) {
        byte[] raw = n.toByteArray();
        if (raw.length > 1 && raw[0] == 0) {
            raw = java.util.Arrays.copyOfRange(raw, 1, raw.length);
        }
        return b64(raw);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
